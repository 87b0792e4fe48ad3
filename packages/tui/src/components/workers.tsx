import { Box, Text } from "ink";
import { fit, formatElapsed } from "../format.js";
import type { DashboardView } from "../view.js";

export function Workers({
  view,
  width,
  rows,
  selected,
  maxWorkers,
}: {
  view: DashboardView;
  width: number;
  rows: number;
  selected: string | null;
  maxWorkers: number | null;
}) {
  const workers = [...view.workers.values()].sort((a, b) => a.startedAt - b.startedAt);
  const shown = workers.slice(0, rows);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width}>
      <Text bold>
        Workers · {workers.length} active{maxWorkers !== null ? ` of ${maxWorkers}` : ""}
      </Text>
      {shown.length === 0 ? <Text dimColor>idle</Text> : null}
      {shown.map((worker) => {
        const line = `${worker.taskId} #${worker.attempt} ${worker.model} · ${worker.sandbox || "…"} · turn ${worker.turns} · ${worker.lastTool || "-"} · ${formatElapsed(view.now - worker.startedAt)}`;
        return (
          <Text key={worker.taskId} inverse={worker.taskId === selected} wrap="truncate">
            {fit(line, width - 4)}
          </Text>
        );
      })}
      {workers.length > rows ? <Text dimColor>… {workers.length - rows} more</Text> : null}
    </Box>
  );
}
