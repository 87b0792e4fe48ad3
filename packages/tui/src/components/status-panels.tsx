import { Box, Text } from "ink";
import { fit, sparkline } from "../format.js";
import { type DashboardView, throughput } from "../view.js";
import { retryText } from "./header.js";

/** Merge queue counts; with `detail`, the last conflict on a second line. */
export function MergePanel({ view, width, detail }: { view: DashboardView; width: number; detail: boolean }) {
  const { queued, landed, noop, conflicts, autoResolved, reverted } = view.merges;
  const last = view.lastConflict;
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width} height={detail ? 4 : 3}>
      <Text wrap="truncate">
        <Text bold>Merges</Text> <Text color="green">landed {landed}</Text>
        {noop > 0 ? <Text dimColor> · no change {noop}</Text> : null} · queued {queued} ·{" "}
        <Text color="yellow">conflicts {conflicts}</Text>
        {autoResolved > 0 ? <Text> · auto-resolved {autoResolved}</Text> : null}
        {reverted > 0 ? <Text color="red"> · reverted {reverted}</Text> : null}
      </Text>
      {detail ? (
        <Text dimColor wrap="truncate">
          {last ? fit(`last conflict ${last.taskId}: ${last.files.join(", ")}`, width - 4) : "no conflicts"}
        </Text>
      ) : null}
    </Box>
  );
}

/** Build health of the integration branch; with `detail`, model retries on a second line. */
export function HealthPanel({
  view,
  width,
  detail,
}: {
  view: DashboardView;
  width: number;
  detail: boolean;
}) {
  const { green, failing, commit } = view.health;
  const retries = retryText(view);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width} height={detail ? 4 : 3}>
      <Text wrap="truncate">
        <Text bold>Health</Text>{" "}
        {green === null ? (
          <Text dimColor>not checked yet</Text>
        ) : green ? (
          <Text color="green">green</Text>
        ) : (
          <Text color="red">red · failing {failing}</Text>
        )}
        {commit ? <Text dimColor> at {commit.slice(0, 10)}</Text> : null} · open fixes {view.openFixes.size}
      </Text>
      {detail ? (
        retries === "" ? (
          <Text dimColor>no model retries</Text>
        ) : (
          <Text color="yellow" wrap="truncate">
            {retries}
          </Text>
        )
      ) : null}
    </Box>
  );
}

export function Throughput({ view, width }: { view: DashboardView; width: number }) {
  const minutes = Math.max(10, Math.min(60, width - 30));
  const series = throughput(view, minutes);
  return (
    <Box paddingX={1} width={width} height={1}>
      <Text wrap="truncate">
        landed/min <Text color="green">{sparkline(series)}</Text> {series.at(-1) ?? 0}/min now
      </Text>
    </Box>
  );
}

export function LogTail({ view, width, rows }: { view: DashboardView; width: number; rows: number }) {
  if (rows <= 0) return null;
  const lines = view.log.slice(-rows);
  return (
    <Box flexDirection="column" paddingX={1} width={width} height={rows}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the key is the line's absolute position in the log, stable across renders
        <Text key={`${view.log.length - lines.length + index}`} dimColor wrap="truncate">
          {fit(line, width - 2)}
        </Text>
      ))}
    </Box>
  );
}
