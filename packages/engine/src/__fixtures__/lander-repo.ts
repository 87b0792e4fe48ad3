import type { NewEvent } from "@longshot/core";
import { Git } from "@longshot/git";
import type { RegenerateLockfiles } from "@longshot/merge-queue";
import { createBranches, createTempRepo, type TempRepo } from "@longshot/testkit";
import { QueueLander } from "../adapters/queue-lander.js";
import type { LandingOutcome } from "../ports.js";

/** The integration branch of run `r1`, which every lander of these fixtures lands on. */
export const integrationBranch = "longshot/r1/integration";

/** A temporary repository holding `files`, with run `r1`'s integration branch at its first commit. */
export async function integrationRepo(files: Record<string, string>): Promise<TempRepo> {
  const repo = await createTempRepo({ files });
  await repo.git(["branch", integrationBranch, repo.initial]);
  return repo;
}

/** A real `QueueLander` on a repository of `integrationRepo`, driven as the engine drives it. */
export interface LanderHarness {
  readonly lander: QueueLander;
  /** What the lander emitted, in order. */
  readonly events: NewEvent[];
  /** Makes branch `name` off the first commit, with one commit writing `files`; returns its tip. */
  branch(name: string, files: Record<string, string>): Promise<string>;
  /** Offers attempt 1 of `taskId`, at `commit`, for landing. */
  land(taskId: string, commit: string): Promise<LandingOutcome>;
  /** A file as the integration branch holds it. */
  show(path: string): Promise<string>;
}

/** A rebasing lander on `repo`'s integration branch, regenerating lockfiles with `regenerateLockfiles` when given. */
export function landerOn(repo: TempRepo, regenerateLockfiles?: RegenerateLockfiles): LanderHarness {
  const events: NewEvent[] = [];
  const lander = new QueueLander({
    git: new Git(repo.path),
    runId: "r1",
    integrationBranch,
    strategy: "rebase",
    committer: { name: "longshot", email: "longshot@localhost" },
    emit: (event) => events.push(event),
    ...(regenerateLockfiles === undefined ? {} : { regenerateLockfiles }),
  });
  return {
    lander,
    events,
    branch: async (name, files) => {
      const tips = await createBranches(repo.path, [
        { name, from: repo.initial, commits: [{ files, message: name }] },
      ]);
      return tips.get(name)!;
    },
    land: (taskId, commit) =>
      lander.land({
        taskId,
        attempt: 1,
        commit,
        title: taskId,
        priority: 50,
        signal: new AbortController().signal,
      }),
    show: (path) => repo.git(["show", `${integrationBranch}:${path}`]),
  };
}
