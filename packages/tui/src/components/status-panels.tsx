import { Box, Text } from "ink";
import { fit, sparkline } from "../format.js";
import { type DashboardView, throughput } from "../view.js";

export function MergePanel({ view, width }: { view: DashboardView; width: number }) {
  const { queued, landed, noop, conflicts, autoResolved, reverted } = view.merges;
  const last = view.lastConflict;
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width}>
      <Text bold>Merge queue</Text>
      <Text>
        queued {queued} · <Text color="green">landed {landed}</Text>
        {noop > 0 ? <Text dimColor> · no change {noop}</Text> : null} ·{" "}
        <Text color="yellow">conflicts {conflicts}</Text>
        {autoResolved > 0 ? <Text> · auto-resolved {autoResolved}</Text> : null}
        {reverted > 0 ? <Text color="red"> · reverted {reverted}</Text> : null}
      </Text>
      {last ? (
        <Text dimColor>{fit(`last conflict ${last.taskId}: ${last.files.join(", ")}`, width - 4)}</Text>
      ) : null}
    </Box>
  );
}

export function HealthPanel({ view, width }: { view: DashboardView; width: number }) {
  const { green, failing, commit } = view.health;
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width}>
      <Text bold>Health</Text>
      <Text>
        {green === null ? (
          <Text dimColor>not checked yet</Text>
        ) : green ? (
          <Text color="green">green</Text>
        ) : (
          <Text color="red">red · failing {failing}</Text>
        )}
        {commit ? <Text dimColor> at {commit.slice(0, 10)}</Text> : null} · open fixes {view.openFixes.size}
      </Text>
    </Box>
  );
}

export function Throughput({ view, width }: { view: DashboardView; width: number }) {
  const minutes = Math.max(10, Math.min(60, width - 30));
  const series = throughput(view, minutes);
  return (
    <Box paddingX={1} width={width}>
      <Text>
        landed/min <Text color="green">{sparkline(series)}</Text> {series.at(-1) ?? 0}/min now
      </Text>
    </Box>
  );
}

export function LogTail({ view, width, rows }: { view: DashboardView; width: number; rows: number }) {
  const lines = view.log.slice(-rows);
  return (
    <Box flexDirection="column" paddingX={1} width={width}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the key is the line's absolute position in the log, stable across renders
        <Text key={`${view.log.length - lines.length + index}`} dimColor wrap="truncate">
          {fit(line, width - 2)}
        </Text>
      ))}
    </Box>
  );
}
