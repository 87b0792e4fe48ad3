import { editTree, type Git, type GitRunner, type Identity, type TreeEditOptions } from "@longshot/git";
import { normalizePath } from "./test-files.js";

export interface HiddenCommitOptions {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly path: string;
  readonly identity: Identity;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A new commit on top of `commit` whose tree lacks the hidden path, made without any checkout
 * (a temporary index). Start the integration branch here and every task sandbox, bundle and
 * file list is free of the hidden tests; `restoreHiddenTests` puts them back before the target
 * branch moves. Returns `commit` unchanged when it has nothing at the path.
 */
export async function withoutHiddenTests(commit: string, options: HiddenCommitOptions): Promise<string> {
  const path = normalizePath(options.path);
  const tree = await editTree(options.git.path, commit, [{ kind: "remove", path }], treeEditOptions(options));
  if (tree === (await options.git.revParse(`${commit}^{tree}`, signalOption(options)))) return commit;
  return options.git.commitTree(
    tree,
    [commit],
    `Hold out the acceptance tests in ${path}\n\nlongshot keeps them out of every sandbox and runs them on the integration branch.`,
    options.identity,
    signalOption(options),
  );
}

/**
 * A new commit on top of `head` with the hidden path exactly as it is in `source` (worktree-free).
 * Returns `head` unchanged when nothing differs.
 */
export async function restoreHiddenTests(
  head: string,
  source: string,
  options: HiddenCommitOptions,
): Promise<string> {
  const path = normalizePath(options.path);
  const edits = [
    { kind: "remove", path },
    { kind: "copy", path, from: source },
  ] as const;
  const tree = await editTree(options.git.path, head, edits, treeEditOptions(options));
  if (tree === (await options.git.revParse(`${head}^{tree}`, signalOption(options)))) return head;
  return options.git.commitTree(
    tree,
    [head],
    `Restore the acceptance tests in ${path}`,
    options.identity,
    signalOption(options),
  );
}

function treeEditOptions(options: HiddenCommitOptions): TreeEditOptions {
  return { runner: options.runner, ...signalOption(options) };
}

function signalOption(options: HiddenCommitOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
