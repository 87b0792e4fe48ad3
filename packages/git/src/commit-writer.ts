import type { Identity } from "./types.js";

/** A commit to create from an existing tree. */
export interface NewCommit {
  readonly tree: string;
  /** Parent commits, in order (first parent first). */
  readonly parents: readonly string[];
  /** Stored exactly as given. */
  readonly message: string;
  readonly author: Identity;
  /** Default the author. */
  readonly committer?: Identity;
  /** Author and committer date. */
  readonly date: Date;
}

/**
 * Creates commit objects without moving any ref. Obtained from `Git.openCommitWriter()`; one
 * writer may keep a git process open between commits, so call `close()` when done.
 */
export interface CommitWriter {
  /**
   * Writes the commit and resolves with its id; the same commit always gets the same id. Pass
   * ids git gave you: malformed commits are refused (`GitCommandError`), but a writer need not
   * check that the tree and parents exist.
   */
  write(commit: NewCommit, options?: { readonly signal?: AbortSignal }): Promise<string>;
  /** Releases the writer's git process and scratch files. */
  close(): Promise<void>;
}
