import { Box, Text } from "ink";
import { fit, formatElapsed } from "../format.js";
import { activity, type DashboardView, type WorkerRow } from "../view.js";

function describeWorker(worker: WorkerRow, now: number): string {
  const elapsed = formatElapsed(now - worker.startedAt);
  if (worker.phase === "starting") return `${worker.taskId} starting · ${elapsed}`;
  const head = `${worker.taskId} #${worker.attempt} ${worker.model}`;
  if (worker.phase !== "working") return `${head} · ${worker.phase} · ${elapsed}`;
  return `${head} · ${worker.sandbox || "…"} · turn ${worker.turns} · ${worker.lastTool || "-"} · ${elapsed}`;
}

/** The tasks holding a worker, oldest first; `rows` content lines (a "more" line included). */
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
  // Tasks waiting in the merge queue come last: the ones holding a worker are the news.
  const workers = [...view.workers.values()].sort(
    (a, b) => Number(a.phase === "merging") - Number(b.phase === "merging") || a.startedAt - b.startedAt,
  );
  const { active, merging } = activity(view);
  const overflow = workers.length > rows;
  const shown = workers.slice(0, overflow ? Math.max(0, rows - 1) : rows);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width} height={rows + 3}>
      <Text bold wrap="truncate">
        Workers · {active} active{maxWorkers !== null ? ` of ${maxWorkers}` : ""}
        {merging > 0 ? ` · ${merging} merging` : ""}
      </Text>
      {shown.length === 0 ? <Text dimColor>idle</Text> : null}
      {shown.map((worker) => {
        const mark = worker.taskId === selected ? "›" : " ";
        return (
          <Text key={worker.taskId} inverse={worker.taskId === selected} wrap="truncate">
            {fit(`${mark}${describeWorker(worker, view.now)}`, width - 4)}
          </Text>
        );
      })}
      {overflow ? <Text dimColor>… {workers.length - shown.length} more</Text> : null}
    </Box>
  );
}
