import { Box, Text } from "ink";
import { bar, formatElapsed, formatTokens } from "../format.js";
import type { DashboardView } from "../view.js";

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

export function Header({ view, width }: { view: DashboardView; width: number }) {
  const total = view.order.length;
  const landed = view.counts.landed;
  const done = landed + view.counts.failed + view.counts.cancelled + view.counts.split;
  const budgetWidth = width >= 120 ? 20 : 10;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={width}>
      <Box justifyContent="space-between">
        <Text bold>
          longshot {view.runId || "…"} <Text color={statusColor[view.status] ?? "white"}>{view.status}</Text>
          {view.reason && view.status !== "running" ? <Text dimColor> ({view.reason})</Text> : null}
        </Text>
        <Text>{formatElapsed(view.now - view.startedAt)}</Text>
      </Box>
      {view.unsandboxed ? (
        <Text color="red" bold>
          UNSANDBOXED: SANDBOX_PROVIDER=none, agent commands run on this machine with your rights
        </Text>
      ) : null}
      <Box justifyContent="space-between">
        <Text>
          tasks {done}/{total} done · {landed} landed · {view.counts.running} running · {view.counts.failed}{" "}
          failed
        </Text>
      </Box>
      <Box justifyContent="space-between">
        <Text>
          cost ${view.costUsd.toFixed(2)}
          {view.budget.usd !== null
            ? ` ${bar(view.costUsd / view.budget.usd, budgetWidth)} of $${view.budget.usd}`
            : ""}
        </Text>
        <Text>
          tokens {formatTokens(view.tokens)}
          {view.budget.tokens !== null
            ? ` ${bar(view.tokens / view.budget.tokens, budgetWidth)} of ${formatTokens(view.budget.tokens)}`
            : ""}
        </Text>
      </Box>
    </Box>
  );
}
