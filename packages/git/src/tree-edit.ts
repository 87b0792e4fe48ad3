import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNever } from "@longshot/core";
import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** One change to a tree, by path (a file, or a directory with everything under it). */
export type TreeEdit =
  /** Nothing at `path` any more (a path that is not there is no error). */
  | { readonly kind: "remove"; readonly path: string }
  /** `path` exactly as it is in the commit `from` (nothing, when it has nothing there). */
  | { readonly kind: "copy"; readonly path: string; readonly from: string }
  /**
   * The file `path` with `content`, keeping the mode it has in the commit `modeFrom`
   * (100644 when it has no file there).
   */
  | { readonly kind: "write"; readonly path: string; readonly content: string; readonly modeFrom: string };

/** Options of {@link editTree}. */
export type TreeEditOptions = GitOperationOptions;

/**
 * The tree of `base` (a commit or tree) with `edits` applied in order, written through a private
 * index in a temporary directory: no checkout and no shared index is touched, so it is safe
 * beside worktrees and other writers. Returns the new tree's id (the base's own tree when the
 * edits change nothing). Throws `GitCommandError` when a git command fails and `AbortError`
 * when the signal fires.
 */
export async function editTree(
  repoPath: string,
  base: string,
  edits: readonly TreeEdit[],
  options: TreeEditOptions = {},
): Promise<string> {
  const runner = options.runner ?? new ProcessGitRunner();
  const dir = mkdtempSync(join(tmpdir(), "longshot-index-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  const run = async (args: readonly string[], input?: string): Promise<string> => {
    const result = await runChecked(runner, repoPath, args, {
      env,
      signal: options.signal,
      ...(input === undefined ? {} : { input }),
    });
    return result.stdout.trim();
  };
  try {
    await run(["read-tree", base]);
    for (const edit of edits) await applyEdit(run, edit);
    return await run(["write-tree"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type IndexRun = (args: readonly string[], input?: string) => Promise<string>;

async function applyEdit(run: IndexRun, edit: TreeEdit): Promise<void> {
  switch (edit.kind) {
    case "remove":
      await run(["rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", edit.path]);
      return;
    case "copy": {
      const entries = await run(["ls-tree", "-r", "--full-tree", edit.from, "--", edit.path]);
      if (entries !== "") await run(["update-index", "--index-info"], `${entries}\n`);
      return;
    }
    case "write": {
      const blob = await run(["hash-object", "-w", "--stdin"], edit.content);
      const listed = await run(["ls-tree", edit.modeFrom, "--", edit.path]);
      const mode = listed.split(/\s/)[0] || "100644";
      await run(["update-index", "--add", "--cacheinfo", `${mode},${blob},${edit.path}`]);
      return;
    }
    default:
      assertNever(edit);
  }
}
