import type { NewEvent } from "@longshot/core";
import { Git } from "@longshot/git";
import { createBranches, createTempRepo, type FileChanges, type TempRepo } from "@longshot/testkit";
import { LocalBranchTarget } from "../local-branch-target.js";
import { MergeQueue, type MergeQueueOptions } from "../merge-queue.js";
import type { MergeResult } from "../types.js";

export const bot = { name: "Longshot", email: "bot@longshot.invalid" } as const;

export interface QueueFixture {
  readonly repo: TempRepo;
  readonly git: Git;
  readonly events: NewEvent[];
  /** A queue landing on `integration` in the fixture repository. */
  queue(overrides?: Partial<MergeQueueOptions>): MergeQueue;
  /** Creates branch `name` with one commit per entry of `commits` on top of `from` (default the initial commit). */
  branch(name: string, commits: readonly FileChanges[], from?: string): Promise<string>;
  /** The integration branch's sha. */
  head(): Promise<string>;
  /** Files at the integration head, with contents. */
  files(): Promise<Record<string, string>>;
}

/** A repository with `main` and an `integration` branch at the first commit, and a queue factory. */
export async function createQueueFixture(files: FileChanges = { "README.md": "# app\n" }): Promise<QueueFixture> {
  const repo = await createTempRepo({ files });
  await repo.git(["branch", "integration", repo.initial]);
  const git = new Git(repo.path);
  const events: NewEvent[] = [];
  return {
    repo,
    git,
    events,
    queue: (overrides = {}) =>
      new MergeQueue({
        git,
        target: new LocalBranchTarget(git, "integration"),
        committer: bot,
        emit: (event) => events.push(event),
        ...overrides,
      }),
    branch: async (name, commits, from = repo.initial) => {
      const specs = [
        { name, from, commits: commits.map((changes, index) => ({ files: changes, message: `${name} part ${index + 1}` })) },
      ];
      return (await createBranches(repo.path, specs)).get(name) ?? "";
    },
    head: () => repo.sha("integration"),
    files: async () => {
      const result: Record<string, string> = {};
      for (const path of await git.listFiles("integration")) result[path] = (await git.readFile("integration", path)) ?? "";
      return result;
    },
  };
}

/** A task's commit, or its commit and the tasks it depends on. */
export type Offer = string | { readonly commit: string; readonly dependsOn: readonly string[] };

/**
 * Offers `commits` to `queue` in order, as attempt 1 of tasks t0001, t0002, …, then drains it;
 * returns the results in landing order.
 */
export function enqueueAndDrain(queue: MergeQueue, commits: readonly Offer[]): Promise<MergeResult[]> {
  for (const [index, offer] of commits.entries()) {
    const taskId = `t${String(index + 1).padStart(4, "0")}`;
    queue.enqueue(typeof offer === "string" ? { taskId, attempt: 1, commit: offer } : { taskId, attempt: 1, ...offer });
  }
  return queue.drain();
}
