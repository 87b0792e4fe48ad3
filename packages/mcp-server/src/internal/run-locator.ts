import { resolve } from "node:path";
import { UserError } from "@longshot/core";
import type { RunSummary, Store } from "@longshot/store";
import type { RunService } from "../run-service.js";

/** A run found in a repository's store. */
export interface LocatedRun {
  readonly repo: string;
  readonly store: Store;
  readonly summary: RunSummary;
}

/**
 * Resolves the `repo` argument of tools and finds runs. It remembers every repository a
 * session named, so resources (whose URIs carry only the run id) find runs started elsewhere
 * than in the default repository.
 */
export class RunLocator {
  readonly #service: RunService;
  readonly #repos = new Set<string>();

  constructor(service: RunService) {
    this.#service = service;
    if (service.defaultRepo !== null) this.#repos.add(resolve(service.defaultRepo));
  }

  /** The repository a tool call means; throws UserError when none is given and there is no default. */
  repo(given: string | undefined): string {
    const chosen = given ?? this.#service.defaultRepo;
    if (chosen === null) {
      throw new UserError(
        "This server has no default repository; pass repo, the absolute path of the git repository.",
      );
    }
    const repo = resolve(chosen);
    this.#service.store(repo);
    this.#repos.add(repo);
    return repo;
  }

  /** Repositories known to this session, the default first. */
  repos(): string[] {
    return [...this.#repos];
  }

  /** The run in the given (or default) repository; throws UserError naming the fix when it is not there. */
  find(runId: string, given: string | undefined): LocatedRun {
    const repo = this.repo(given);
    const store = this.#service.store(repo);
    const summary = store.getRun(runId);
    if (!summary) throw new UserError(`No run ${runId} in ${repo}; call list_runs to see the runs.`);
    return { repo, store, summary };
  }

  /** The run in any repository this session knows; null when none has it. */
  locate(runId: string): LocatedRun | null {
    for (const repo of this.#repos) {
      const store = this.#service.store(repo);
      const summary = store.getRun(runId);
      if (summary) return { repo, store, summary };
    }
    return null;
  }
}
