import type { CommitWriter, NewCommit } from "../commit-writer.js";
import type { Identity } from "../types.js";

/** The one operation the writer needs, as `Git.commitTree` offers it. */
export interface CommitTreeSource {
  commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    author: Identity,
    options: {
      readonly committer?: Identity;
      readonly date?: Date;
      readonly signal?: AbortSignal;
    },
  ): Promise<string>;
}

/** Writes each commit with its own `git commit-tree`: for runners without sessions. */
export class CommitTreeCommitWriter implements CommitWriter {
  readonly #git: CommitTreeSource;

  constructor(git: CommitTreeSource) {
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
