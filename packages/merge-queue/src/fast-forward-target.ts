import { type EmitEvent, UserError } from "@longshot/core";
import type { Git } from "@longshot/git";
import { signalOption } from "./internal/signal-option.js";

/** Options of {@link fastForwardTarget}. */
export interface FastForwardTargetOptions {
  /** The user's repository. */
  readonly git: Git;
  /** Branch holding the run's work, such as `longshot/r1/integration`. */
  readonly integrationBranch: string;
  /** The user's branch (GIT_MAIN_BRANCH), such as `main`. */
  readonly targetBranch: string;
  readonly emit?: EmitEvent;
  readonly signal?: AbortSignal;
}

/** What happened to the target branch at the end of a run. */
export type FastForwardTargetOutcome =
  | {
      readonly kind: "fast-forwarded";
      readonly from: string | null;
      readonly to: string;
      /** The worktree whose files were updated too, when the target is checked out there. */
      readonly worktree: string | null;
    }
  | { readonly kind: "up-to-date"; readonly sha: string }
  | {
      readonly kind: "manual";
      readonly reason: "diverged" | "local-changes" | "refused" | "moved";
      /** Why, in one sentence. */
      readonly detail: string;
      /** The exact command that lands the work once the user is ready. */
      readonly command: string;
    };

/**
 * Moves the user's target branch to the integration branch only when that is safe: a
 * fast-forward, and, when the branch is checked out, in a worktree without local changes (the
 * files are then updated with `merge --ff-only`). Otherwise nothing is touched and the outcome
 * carries the exact command to land the work. Emits `target-update`. Throws when the
 * integration branch does not exist.
 */
export async function fastForwardTarget(
  options: FastForwardTargetOptions,
): Promise<FastForwardTargetOutcome> {
  const outcome = await decide(options);
  options.emit?.({
    type: "target-update",
    branch: options.targetBranch,
    sha: outcome.kind === "fast-forwarded" ? outcome.to : outcome.kind === "up-to-date" ? outcome.sha : null,
    landed: outcome.kind !== "manual",
    command: outcome.kind === "manual" ? outcome.command : null,
  });
  return outcome;
}

async function decide(options: FastForwardTargetOptions): Promise<FastForwardTargetOutcome> {
  const { git, integrationBranch, targetBranch } = options;
  const signal = signalOption(options.signal);
  const integration = await git.resolveCommit(`refs/heads/${integrationBranch}`, signal);
  if (integration === null) {
    throw new UserError(`The integration branch ${integrationBranch} does not exist; nothing to land.`);
  }
  const targetRef = `refs/heads/${targetBranch}`;
  const current = await git.revParse(targetRef, signal);
  if (current === integration) return { kind: "up-to-date", sha: integration };
  const worktree = (await git.listWorktrees(signal)).find((entry) => entry.branch === targetRef) ?? null;
  if (current !== null && !(await git.isAncestor(current, integration, signal))) {
    const command =
      worktree === null
        ? `git checkout ${shellQuote(targetBranch)} && git merge ${shellQuote(integrationBranch)}`
        : `git -C ${shellQuote(worktree.path)} merge ${shellQuote(integrationBranch)}`;
    const detail = `${targetBranch} has commits that ${integrationBranch} lacks, so it cannot be fast-forwarded.`;
    return { kind: "manual", reason: "diverged", detail, command };
  }
  if (worktree === null) {
    const moved = await git.updateRef(targetRef, integration, current, signal);
    if (moved.ok) return { kind: "fast-forwarded", from: current, to: integration, worktree: null };
    const detail = `${targetBranch} moved while the run was ending.`;
    return {
      kind: "manual",
      reason: "moved",
      detail,
      command: `git branch -f ${shellQuote(targetBranch)} ${integration}`,
    };
  }
  const tree = git.at(worktree.path);
  const mergeCommand = `git -C ${shellQuote(worktree.path)} merge --ff-only ${shellQuote(integrationBranch)}`;
  if (!(await tree.status(signal)).clean) {
    const detail = `${targetBranch} is checked out in ${worktree.path} with local changes; commit or stash them first.`;
    return { kind: "manual", reason: "local-changes", detail, command: mergeCommand };
  }
  const forwarded = await tree.fastForward(integration, signal);
  if (forwarded.ok)
    return { kind: "fast-forwarded", from: current, to: integration, worktree: worktree.path };
  return { kind: "manual", reason: "refused", detail: forwarded.reason, command: mergeCommand };
}

/** Quotes `value` for a POSIX shell when it needs it. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
