/** A commit as the planner sees it. */
export interface CommitSummary {
  readonly sha: string;
  readonly author: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly subject: string;
}

/** Files of the repository, at most `limit` of them, and whether more exist. */
export interface FileListing {
  readonly paths: readonly string[];
  readonly truncated: boolean;
}

/**
 * What the planner reads from the target repository. Paths are relative to the repository
 * root with forward slashes. Every method throws `AbortError` when its signal aborts.
 */
export interface RepoReader {
  /** Tracked and untracked-but-not-ignored files, sorted, at most `limit`. */
  listFiles(options: { readonly limit: number; readonly signal: AbortSignal }): Promise<FileListing>;
  /**
   * The text of a file, cut to `maxChars`, or `undefined` when it does not exist, is not a
   * regular file, lies outside the repository, or is binary.
   */
  readFile(
    path: string,
    options: { readonly maxChars: number; readonly signal: AbortSignal },
  ): Promise<string | undefined>;
  /** The newest commits of HEAD, newest first; empty for a repository without commits. */
  recentCommits(options: {
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<readonly CommitSummary[]>;
}
