import { Box, Text } from "ink";
import { bar, formatElapsed, formatTokens } from "../format.js";
import { activity, type DashboardView } from "../view.js";

const statusColor: Record<string, string> = {
  running: "cyan",
  paused: "yellow",
  draining: "yellow",
  green: "green",
  red: "red",
  failed: "red",
  stopped: "yellow",
  starting: "gray",
};

/** Model retries in a few words: `3 retries · 503 at fake` (the latest status and endpoint). */
export function retryText(view: DashboardView): string {
  const { count, last } = view.retries;
  if (count === 0 || last === null) return "";
  const why = last.status === null ? "timeout" : String(last.status);
  return `${count} ${count === 1 ? "retry" : "retries"} · ${why} at ${last.endpoint}`;
}

/**
 * Status, time, tasks, cost: five rows that never wrap, so the header keeps its height (and
 * stays on screen) whatever the terminal's width. The active count is the workers panel's.
 */
export function Header({ view, width }: { view: DashboardView; width: number }) {
  const total = view.order.length;
  const landed = view.counts.landed;
  const done = landed + view.counts.failed + view.counts.cancelled + view.counts.split;
  const budgetWidth = width >= 120 ? 20 : 10;
  const retries = retryText(view);
  const { active, merging } = activity(view);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width} height={5}>
      <Box justifyContent="space-between">
        <Text bold wrap="truncate">
          longshot {view.runId || "…"} <Text color={statusColor[view.status] ?? "white"}>{view.status}</Text>
          {view.reason && view.status !== "running" ? <Text dimColor> ({view.reason})</Text> : null}
        </Text>
        <Box flexShrink={0} marginLeft={1}>
          <Text>{formatElapsed(view.now - view.startedAt)}</Text>
        </Box>
      </Box>
      <Box justifyContent="space-between">
        <Box flexShrink={0}>
          <Text wrap="truncate">
            tasks {done}/{total} done · {landed} landed · {active} active
            {merging > 0 ? ` · ${merging} merging` : ""} · {view.counts.failed} failed
          </Text>
        </Box>
        {retries ? (
          <Box flexShrink={1} marginLeft={1}>
            <Text color="yellow" wrap="truncate">
              {retries}
            </Text>
          </Box>
        ) : null}
      </Box>
      <Box justifyContent="space-between">
        <Text wrap="truncate">
          cost ${view.costUsd.toFixed(2)}
          {view.budget.usd !== null
            ? ` ${bar(view.costUsd / view.budget.usd, budgetWidth)} of $${view.budget.usd}`
            : ""}
        </Text>
        <Box flexShrink={0} marginLeft={1}>
          <Text>
            tokens {formatTokens(view.tokens)}
            {view.budget.tokens !== null
              ? ` ${bar(view.tokens / view.budget.tokens, budgetWidth)} of ${formatTokens(view.budget.tokens)}`
              : ""}
          </Text>
        </Box>
      </Box>
    </Box>
  );
}
