import type { CommitSummary, FileListing, RepoReader } from "@longshot/planner";
import { isInside, mentionsHidden, redactHidden } from "@longshot/reconciler";

/**
 * The planner's view of a repository that holds hidden acceptance tests: the hidden path is
 * not listed, cannot be read, and lines naming it are dropped from everything else it reads,
 * so no planner prompt ever mentions the tests.
 */
export class HiddenRepoReader implements RepoReader {
  readonly #inner: RepoReader;
  readonly #path: string;

  constructor(inner: RepoReader, hiddenPath: string) {
    this.#inner = inner;
    this.#path = hiddenPath;
  }

  async listFiles(options: { readonly limit: number; readonly signal: AbortSignal }): Promise<FileListing> {
    const listing = await this.#inner.listFiles(options);
    return { ...listing, paths: listing.paths.filter((path) => !isInside(path, this.#path)) };
  }

  async readFile(
    path: string,
    options: { readonly maxChars: number; readonly signal: AbortSignal },
  ): Promise<string | undefined> {
    if (isInside(path, this.#path)) return undefined;
    const text = await this.#inner.readFile(path, options);
    return text === undefined ? undefined : redactHidden(text, this.#path);
  }

  async recentCommits(options: {
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<readonly CommitSummary[]> {
    const commits = await this.#inner.recentCommits(options);
    return commits.filter((commit) => !mentionsHidden(commit.subject, this.#path));
  }
}
