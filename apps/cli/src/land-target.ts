import type { EmitEvent } from "@longshot/core";
import type { RunResult } from "@longshot/engine";
import type { Git } from "@longshot/git";
import { fastForwardTarget } from "@longshot/merge-queue";

export interface LandTargetOptions {
  readonly git: Git;
  readonly result: RunResult;
  readonly integrationBranch: string;
  readonly targetBranch: string;
  readonly emit: EmitEvent;
}

/** What happened to the target branch, as one sentence for the user. */
export interface TargetLanding {
  /** True when the target branch now points at the commit the run verified. */
  readonly moved: boolean;
  /** The target's commit read from the ref after the move, or null when it did not move. */
  readonly sha: string | null;
  readonly message: string;
}

/**
 * Moves the target branch at the end of a green run, and only to the commit the final checks
 * passed on (`result.head`): when the integration branch holds anything else, nothing moves.
 * What it reports is read back from the ref afterwards, never assumed. A red run is never
 * landed (the caller does not call this for one).
 */
export async function landTarget(options: LandTargetOptions): Promise<TargetLanding> {
  const { git, result, integrationBranch, targetBranch } = options;
  const integration = await git.resolveCommit(`refs/heads/${integrationBranch}`);
  if (integration !== result.head) {
    const message = `${targetBranch} was not moved: ${integrationBranch} is at ${integration?.slice(0, 10) ?? "nothing"}, not at ${result.head.slice(0, 10)}, the commit the final checks passed on.`;
    options.emit({ type: "target-update", branch: targetBranch, sha: null, landed: false, command: null });
    return { moved: false, sha: null, message };
  }
  const landed = await fastForwardTarget({ git, integrationBranch, targetBranch, emit: options.emit });
  if (landed.kind === "manual")
    return { moved: false, sha: null, message: `${landed.detail} To land it: ${landed.command}` };
  const now = await git.resolveCommit(`refs/heads/${targetBranch}`);
  if (now !== result.head) {
    return {
      moved: false,
      sha: now,
      message: `${targetBranch} is at ${now?.slice(0, 10) ?? "nothing"}, not at ${result.head.slice(0, 10)}: it moved while the run was landing; nothing was overwritten.`,
    };
  }
  return { moved: true, sha: now, message: `${targetBranch} now points at ${now.slice(0, 10)}.` };
}
