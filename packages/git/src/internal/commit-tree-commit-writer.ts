import type { CommitWriter, NewCommit } from "../commit-writer.js";
import type { Git } from "../git.js";

/** Writes each commit with its own `git commit-tree`: for runners without sessions. */
export class CommitTreeCommitWriter implements CommitWriter {
  readonly #git: Git;

  constructor(git: Git) {
    this.#git = git;
  }

  write(commit: NewCommit, options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    return this.#git.commitTree(commit.tree, commit.parents, commit.message, commit.author, {
      ...(commit.committer === undefined ? {} : { committer: commit.committer }),
      date: commit.date,
      ...options,
    });
  }

  async close(): Promise<void> {}
}
