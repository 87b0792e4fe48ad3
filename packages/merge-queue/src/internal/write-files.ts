import { editTree, type Git, type GitRunner } from "@longshot/git";

/** What writing files into a tree needs: the repository and a way to run git with a private index. */
export interface WriteFilesContext {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * `tree` with `files` (path to content) replaced, written with a private index so no checkout
 * is touched. Each file keeps the mode it has at `head` (100644 when it is new there).
 */
export async function writeFiles(
  context: WriteFilesContext,
  tree: string,
  head: string,
  files: ReadonlyMap<string, string>,
): Promise<string> {
  if (files.size === 0) return tree;
  const edits = [...files].map(([path, content]) => ({
    kind: "write" as const,
    path,
    content,
    modeFrom: head,
  }));
  return editTree(context.git.path, tree, edits, {
    runner: context.runner,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
}
