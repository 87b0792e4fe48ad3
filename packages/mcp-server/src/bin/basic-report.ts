import type { Store } from "@longshot/store";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * A plain Markdown report from the store, for the test server only: the CLI renders the real
 * `longshot report` and passes it to its run service.
 */
export function basicReport(store: Store, runId: string): string {
  const run = store.getRun(runId);
  if (!run) return `# Run ${runId}\n\nNo such run.\n`;
  const tasks = store.listTasks(runId);
  const tokens = run.usage.promptTokens + run.usage.completionTokens;
  const lines = [
    `# Longshot run ${run.runId}`,
    "",
    `- Request: ${run.request}`,
    `- Status: **${run.status}**${run.reason ? ` (${run.reason})` : ""}`,
    `- Integration branch: \`${run.integrationBranch}\` at \`${run.head ?? run.baseCommit}\``,
    `- Tasks: ${run.taskTotal} (${run.tasks.landed} landed, ${run.tasks.failed} failed, ${run.tasks.cancelled} cancelled)`,
    `- Merges: ${run.merges.landed} landed, ${run.merges.conflicts} conflicts, ${run.merges.reverted} reverted`,
    `- Spend: $${run.costUsd.toFixed(4)}, ${tokens} tokens in ${run.modelCalls} model calls`,
    "",
    "## Tasks",
    "",
    "| Task | Title | State | Attempts |",
    "| --- | --- | --- | --- |",
    ...tasks.map((task) => `| ${task.id} | ${cell(task.title)} | ${task.state} | ${task.attempts} |`),
    "",
  ];
  return lines.join("\n");
}
