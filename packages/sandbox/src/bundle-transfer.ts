import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { GitRunner } from "@longshot/git";
import { SandboxError } from "./sandbox-error.js";

/**
 * Helpers for providers whose sandboxes receive the repository as a git bundle (remote
 * engines, E2B): a bundle of a shallow repository records no prerequisites, so the clone
 * inside must be told where the history stops, and a warm sandbox moved to a later commit
 * receives only what it lacks.
 */

/** The commits a repository's history stops at (its `shallow` file), empty for a full repository. */
export async function shallowRoots(
  runner: GitRunner,
  repoPath: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const result = await runner.run({
    args: ["rev-parse", "--git-path", "shallow"],
    cwd: repoPath,
    ...(signal === undefined ? {} : { signal }),
  });
  if (result.exitCode !== 0) return [];
  const path = result.stdout.trim();
  const text = await readFile(isAbsolute(path) ? path : join(repoPath, path), "utf8").catch(() => "");
  return text.split("\n").filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}

/**
 * A shell script for `sh -c` that makes a repository at `$1` from the bundle `$0` holding the
 * branch `$2`, shallow at the commits listed in `$3` (space-separated, may be empty), checks
 * the branch out and deletes the bundle. Works for full and shallow bundles alike.
 */
export const cloneBundleScript = [
  'git init --quiet "$1"',
  'cd "$1"',
  'for root in $3; do echo "$root"; done > .git/shallow',
  "test -s .git/shallow || rm -f .git/shallow",
  'git fetch --quiet --no-tags "$0" "refs/heads/$2:refs/heads/$2"',
  'git checkout --quiet "$2"',
  'rm -f "$0"',
].join(" && ");

/**
 * Writes to `file` a bundle that brings `commit` into a repository that already holds `have`
 * (its current commit): only `have..commit` when `have` is an ancestor, everything down to the
 * shallow roots otherwise. Returns the name of the one ref the bundle carries (fetch it).
 * Throws `SandboxError` (`move-failed`) when `commit` is not in the repository.
 */
export async function bundleToward(
  runner: GitRunner,
  repoPath: string,
  commit: string,
  have: string | null,
  file: string,
  signal?: AbortSignal,
): Promise<string> {
  const git = (args: readonly string[]) =>
    runner.run({ args, cwd: repoPath, ...(signal === undefined ? {} : { signal }) });
  if ((await git(["cat-file", "-e", `${commit}^{commit}`])).exitCode !== 0) {
    throw new SandboxError(
      "move-failed",
      `Commit ${commit} is not in the repository, so the sandbox cannot move to it.`,
    );
  }
  // Each transfer gets its own ref, so sandboxes moving at once never share one.
  const ref = `refs/longshot/transfer/${randomBytes(4).toString("hex")}`;
  await git(["update-ref", ref, commit]);
  try {
    const incremental =
      have !== null &&
      have !== commit &&
      (await git(["merge-base", "--is-ancestor", have, commit])).exitCode === 0;
    const result = await git([
      "bundle",
      "create",
      "--quiet",
      file,
      ref,
      ...(incremental ? [`^${have}`] : []),
    ]);
    if (result.exitCode !== 0) {
      throw new SandboxError("move-failed", `Could not bundle ${commit}: ${result.stderr.trim()}`);
    }
    return ref;
  } finally {
    await git(["update-ref", "-d", ref, commit]);
  }
}
