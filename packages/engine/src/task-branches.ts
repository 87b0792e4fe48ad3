import { isTerminal, type Task } from "@longshot/core";
import type { Git } from "@longshot/git";

/** Removes the branches of a run's finished tasks from the repository. */
export interface TaskBranches {
  /**
   * Deletes the branch of every finished task (landed, failed, cancelled, split) among `tasks`,
   * with its helper branches (`<task branch>-<suffix>`); branches of unfinished tasks stay for
   * a resumed run. Returns the deleted branch names.
   */
  removeFinished(tasks: readonly Task[], signal?: AbortSignal): Promise<readonly string[]>;
}

const deleted = "0".repeat(40);

/**
 * `TaskBranches` over git. Only branches inside the run's own namespace (`<prefix><run>/`)
 * that name one of the run's tasks are touched, never the integration branch or anything the
 * run did not create, and each deletion is a compare-and-swap against the value just read.
 * The work of a finished task stays reachable where it matters: landed work is on the
 * integration branch, and every attempt's commit is recorded in the event log.
 */
export class GitTaskBranches implements TaskBranches {
  readonly #git: Git;
  readonly #namespace: string;
  readonly #integration: string;

  constructor(git: Git, options: { readonly namespace: string; readonly integrationBranch: string }) {
    this.#git = git;
    this.#namespace = options.namespace;
    this.#integration = options.integrationBranch;
  }

  async removeFinished(tasks: readonly Task[], signal?: AbortSignal): Promise<readonly string[]> {
    const options = signal === undefined ? {} : { signal };
    const finished = new Set(
      tasks
        .filter((task) => isTerminal(task.state))
        .map((task) => task.branch)
        .filter((branch) => branch.startsWith(this.#namespace) && branch !== this.#integration),
    );
    if (finished.size === 0) return [];
    const removed: string[] = [];
    // One listing of the run's namespace: a run whose branches are gone costs one git call.
    for (const branch of await this.#git.listBranches(this.#namespace, options)) {
      // A task's helper branches (`<task branch>-lockfile`) go with it.
      const owner = finished.has(branch.name) ? branch.name : branch.name.replace(/-[^/]*$/, "");
      if (!finished.has(owner)) continue;
      const outcome = await this.#git.updateRef(`refs/heads/${branch.name}`, deleted, branch.sha, {
        message: "longshot: task finished",
        ...options,
      });
      if (outcome.ok) removed.push(branch.name);
    }
    return removed;
  }
}
