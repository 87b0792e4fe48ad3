import type { GitOperationOptions } from "./git-runner.js";
import { splitNul } from "./internal/parse.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";
import type { TreeEntry } from "./types.js";

const entryPattern = /^(\d+) (blob|tree|commit) ([0-9a-f]+)\t(.+)$/s;

/**
 * The entries directly in the tree of `rev` (a commit or tree), not recursively, in git's order
 * (`git ls-tree -z`): files, directories and submodules with their modes and object ids. Throws
 * `GitCommandError` when `rev` names no commit or tree and `AbortError` when the signal fires.
 */
export async function listTree(
  repoPath: string,
  rev: string,
  options: GitOperationOptions = {},
): Promise<TreeEntry[]> {
  const result = await runChecked(
    options.runner ?? new ProcessGitRunner(),
    repoPath,
    ["ls-tree", "-z", rev],
    {
      signal: options.signal,
    },
  );
  const entries: TreeEntry[] = [];
  for (const line of splitNul(result.stdout)) {
    const match = entryPattern.exec(line);
    if (match === null) continue;
    const [, mode = "", type = "blob", sha = "", name = ""] = match;
    entries.push({ mode, type: type as TreeEntry["type"], sha, name });
  }
  return entries;
}
