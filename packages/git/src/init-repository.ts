import { mkdir } from "node:fs/promises";
import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** Options of {@link initRepository}. */
export interface InitRepositoryOptions extends GitOperationOptions {
  /** A bare repository (no working tree), as a remote is. */
  readonly bare?: boolean;
  /** The branch HEAD names; default git's (`init.defaultBranch`, else `master`). */
  readonly initialBranch?: string;
}

/**
 * Creates the directory `path` (and its parents) when missing and an empty repository in it
 * (`git init`); in an existing repository git only re-initialises, which changes nothing that
 * is there. Throws `GitCommandError` when git fails and `AbortError` when the signal fires.
 */
export async function initRepository(path: string, options: InitRepositoryOptions = {}): Promise<void> {
  await mkdir(path, { recursive: true });
  const args = [
    "init",
    "--quiet",
    ...(options.bare === true ? ["--bare"] : []),
    ...(options.initialBranch === undefined ? [] : [`--initial-branch=${options.initialBranch}`]),
  ];
  await runChecked(options.runner ?? new ProcessGitRunner(), path, args, { signal: options.signal });
}
