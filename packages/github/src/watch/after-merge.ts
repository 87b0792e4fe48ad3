import { messageOf } from "@longshot/core";
import { capabilityEntry, withCapability } from "./capabilities.js";
import { fileGapIssues } from "./gap-issues.js";
import { showStatus, type WatchContext } from "./watch-context.js";
import type { IssueRecord } from "./watch-journal.js";

const pushAttempts = 3;

/**
 * What follows a merged pull request, each step at most once (recorded in the journal, and
 * checked against GitHub where a crash could fall between doing and recording): the
 * capabilities file gains the issue's entry on the base branch, then gap analysis of the goal
 * against the updated capabilities files at most N issues labelled for approval.
 */
export async function afterMerge(
  context: WatchContext,
  record: IssueRecord,
  signal: AbortSignal,
): Promise<void> {
  const merged = record.merged ?? { capabilities: false, gap: false, filed: [] };
  record.merged = merged;
  if (!merged.capabilities) {
    const problem = await updateCapabilities(context, record, signal);
    if (problem !== null) record.note = problem;
    merged.capabilities = true;
    context.journal.put(record);
  }
  if (!merged.gap) {
    merged.filed = await gapAnalysis(context, record, signal);
    merged.gap = true;
    context.journal.put(record);
  }
  await showStatus(context, record, null, signal);
}

/** Commits the new entry on top of the base branch and pushes it; null when done, else why not. */
async function updateCapabilities(
  context: WatchContext,
  record: IssueRecord,
  signal: AbortSignal,
): Promise<string | null> {
  const { git, settings } = context;
  const pull = { number: record.pull ?? 0, url: record.pullUrl ?? record.url };
  const entry = capabilityEntry(record, pull);
  for (let attempt = 1; attempt <= pushAttempts; attempt += 1) {
    const head = await git.remoteHead(settings.baseBranch, signal);
    if (head === null)
      return `${settings.baseBranch} is not on GitHub; the capabilities file was not updated.`;
    const current = await git.readFile(head, settings.capabilitiesPath, signal);
    const next = withCapability(current, entry, pull.number);
    if (next === null) return null;
    const commit = await git.commitFile(
      head,
      settings.capabilitiesPath,
      next,
      `Capabilities: ${record.title} (#${pull.number})`,
      signal,
    );
    const pushed = await git.fastForward(commit, settings.baseBranch, signal);
    if (pushed.ok) return null;
    context.logger.info({ attempt, reason: pushed.reason }, "capabilities push refused");
    if (attempt === pushAttempts) {
      // Branch protection refuses direct pushes: propose the change instead.
      const branch = `longshot/capabilities-${pull.number}`;
      const side = await git.forcePush(commit, branch, signal);
      if (!side.ok) return `The capabilities update could not be pushed: ${pushed.reason}`;
      const opened = await context.api.client.openOrUpdatePullRequest({
        head: branch,
        base: settings.baseBranch,
        title: `Capabilities: ${record.title}`,
        body: `Adds the capability of #${record.number} (merged in #${pull.number}) to \`${settings.capabilitiesPath}\`; ${settings.baseBranch} refused a direct push.`,
        signal,
      });
      return `${settings.baseBranch} refused a direct push, so the capabilities update is pull request #${opened.number}.`;
    }
  }
  return null;
}

async function gapAnalysis(
  context: WatchContext,
  record: IssueRecord,
  signal: AbortSignal,
): Promise<number[]> {
  const { git, settings } = context;
  if (context.gap === null || settings.maxGapIssues === 0) return [];
  const head = await git.remoteHead(settings.baseBranch, signal);
  if (head === null) return [];
  const candidates = settings.goalPath === null ? ["SPEC.md", "GOAL.md"] : [settings.goalPath];
  let goalPath: string | null = null;
  let goal: string | null = null;
  for (const candidate of candidates) {
    goal = await git.readFile(head, candidate, signal);
    if (goal !== null) {
      goalPath = candidate;
      break;
    }
  }
  if (goal === null || goalPath === null) {
    record.note = `No gap analysis: ${candidates.join(" or ")} is not on ${settings.baseBranch}.`;
    return [];
  }
  const capabilities = (await git.readFile(head, settings.capabilitiesPath, signal)) ?? "";
  try {
    const analysis = await context.gap(goal, capabilities, signal);
    if (analysis === null) return [];
    const result = await fileGapIssues({
      client: context.api.client,
      analysis,
      goal,
      goalPath,
      max: settings.maxGapIssues,
      approvalLabel: settings.approvalLabel,
      buildLabel: settings.label,
      pull: record.pull ?? 0,
      signal,
    });
    return result.filed.map((issue) => issue.number);
  } catch (error) {
    if (signal.aborted) throw error;
    record.note = `Gap analysis failed: ${messageOf(error)}`;
    return [];
  }
}
