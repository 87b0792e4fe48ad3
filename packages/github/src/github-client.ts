import { AbortError, redactValues } from "@longshot/core";
import { Octokit } from "@octokit/rest";
import { GitHubError } from "./github-error.js";
import { fitBody } from "./internal/fit-body.js";

/** Options of {@link GitHubClient}. */
export interface GitHubClientOptions {
  /** A token with `contents` and `pull-requests` (and `issues`, for issue mode) write access. */
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  /** REST API address; default `https://api.github.com`. Tests point it at a local fake. */
  readonly baseUrl?: string;
  readonly userAgent?: string;
  /** The fetch implementation; default the global one. */
  readonly fetch?: typeof fetch;
}

/** Options shared by every call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** What {@link GitHubClient.rest} got back. */
export interface RestResponse {
  /** 200-299, or 304 when the `etag` given still matches (then `data` is null). */
  readonly status: number;
  readonly data: unknown;
  /** The response's ETag, for the next conditional request. */
  readonly etag: string | null;
}

/** A pull request longshot opened or updated. */
export interface PullRequestResult {
  readonly number: number;
  readonly url: string;
  /** True when this call created it, false when it updated an open one. */
  readonly created: boolean;
}

/** Options of {@link GitHubClient.openOrUpdatePullRequest}. */
export interface PullRequestRequest extends CallOptions {
  /** Branch with the work (in this repository). */
  readonly head: string;
  /** Branch the work should land on. */
  readonly base: string;
  readonly title: string;
  readonly body: string;
  /** Open as a draft (only when creating; GitHub's REST API cannot change it later). */
  readonly draft?: boolean;
}

/** An open issue. */
export interface IssueSummary {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly labels: readonly string[];
  readonly author: string | null;
  readonly createdAt: string;
}

/** A comment on an issue or pull request. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly url: string;
  readonly author: string | null;
}

/** Options of {@link GitHubClient.createIssue}. */
export interface NewIssue extends CallOptions {
  readonly title: string;
  readonly body: string;
  readonly labels?: readonly string[];
}

/** What {@link GitHubClient.repository} reports. */
export interface RepositoryInfo {
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly url: string;
}

interface RawLabel {
  readonly name?: string | undefined;
}
interface RawIssue {
  readonly number: number;
  readonly title: string;
  readonly body?: string | null | undefined;
  readonly html_url: string;
  readonly labels: readonly (string | RawLabel)[];
  readonly user: { readonly login: string } | null;
  readonly created_at: string;
  readonly pull_request?: unknown;
}

/**
 * The GitHub REST calls longshot makes, for one repository, over Octokit. The token stays in
 * this object: it is sent only as the Authorization header and is redacted from every error
 * message. Every call takes an AbortSignal (cancelling rejects with `AbortError`) and throws
 * {@link GitHubError} when GitHub refuses or cannot be reached.
 */
export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  readonly baseUrl: string;
  readonly #octokit: Octokit;
  readonly #token: string;

  constructor(options: GitHubClientOptions) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.baseUrl = (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
    this.#token = options.token;
    const quiet = (): void => {};
    this.#octokit = new Octokit({
      auth: options.token,
      baseUrl: this.baseUrl,
      userAgent: options.userAgent ?? "longshot",
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
    });
  }

  /** Name, default branch and web address of the repository. */
  async repository(options: CallOptions = {}): Promise<RepositoryInfo> {
    const response = await this.#call("read the repository", options, () =>
      this.#octokit.rest.repos.get({ ...this.#target(), request: request(options) }),
    );
    const data = response.data;
    return { fullName: data.full_name, defaultBranch: data.default_branch, url: data.html_url };
  }

  /**
   * Opens a pull request from `head` to `base`, or, when one is already open for that pair,
   * replaces its title and body. Safe to call again for the same branch (a second nightly run
   * updates the first run's pull request).
   */
  async openOrUpdatePullRequest(pull: PullRequestRequest): Promise<PullRequestResult> {
    const existing = await this.#findOpenPullRequest(pull);
    if (existing !== null) return this.#updatePullRequest(existing, pull);
    try {
      const response = await this.#call("open a pull request", pull, () =>
        this.#octokit.rest.pulls.create({
          ...this.#target(),
          head: pull.head,
          base: pull.base,
          title: pull.title,
          body: fitBody(pull.body),
          draft: pull.draft ?? false,
          request: request(pull),
        }),
      );
      return { number: response.data.number, url: response.data.html_url, created: true };
    } catch (error) {
      // Someone opened it between our look-up and our create: update theirs instead.
      const raced =
        error instanceof GitHubError && error.status === 422 ? await this.#findOpenPullRequest(pull) : null;
      if (raced === null) throw error;
      return this.#updatePullRequest(raced, pull);
    }
  }

  /** Open issues (not pull requests) carrying `label`, oldest first. */
  async listLabeledIssues(label: string, options: CallOptions = {}): Promise<IssueSummary[]> {
    return this.listOpenIssues({ ...options, label });
  }

  /** Open issues (not pull requests), oldest first, optionally only those with `label`. */
  async listOpenIssues(options: CallOptions & { readonly label?: string } = {}): Promise<IssueSummary[]> {
    const raw = await this.#call("list issues", options, () =>
      this.#octokit.paginate(this.#octokit.rest.issues.listForRepo, {
        ...this.#target(),
        state: "open",
        sort: "created",
        direction: "asc",
        per_page: 100,
        ...(options.label === undefined ? {} : { labels: options.label }),
        request: request(options),
      }),
    );
    return (raw as readonly RawIssue[]).filter((issue) => issue.pull_request === undefined).map(toIssue);
  }

  /** Every comment on issue (or pull request) `number`, oldest first. */
  async listIssueComments(number: number, options: CallOptions = {}): Promise<IssueComment[]> {
    const raw = await this.#call("list issue comments", options, () =>
      this.#octokit.paginate(this.#octokit.rest.issues.listComments, {
        ...this.#target(),
        issue_number: number,
        per_page: 100,
        request: request(options),
      }),
    );
    return raw.map((comment) => ({
      id: comment.id,
      body: comment.body ?? "",
      url: comment.html_url,
      author: comment.user?.login ?? null,
    }));
  }

  /** Adds a comment to issue (or pull request) `number`. */
  async commentOnIssue(number: number, body: string, options: CallOptions = {}): Promise<IssueComment> {
    const response = await this.#call("comment on an issue", options, () =>
      this.#octokit.rest.issues.createComment({
        ...this.#target(),
        issue_number: number,
        body: fitBody(body),
        request: request(options),
      }),
    );
    const comment = response.data;
    return {
      id: comment.id,
      body: comment.body ?? "",
      url: comment.html_url,
      author: comment.user?.login ?? null,
    };
  }

  /** Files a new issue. */
  async createIssue(issue: NewIssue): Promise<IssueSummary> {
    const response = await this.#call("create an issue", issue, () =>
      this.#octokit.rest.issues.create({
        ...this.#target(),
        title: issue.title,
        body: fitBody(issue.body),
        labels: [...(issue.labels ?? [])],
        request: request(issue),
      }),
    );
    return toIssue(response.data as RawIssue);
  }

  /**
   * Any REST call by route, such as `GET /repos/{owner}/{repo}/pulls/{pull_number}` (owner and
   * repo filled in), for the watch loop's reads and writes; callers parse `data` with zod. With
   * `etag`, the request is conditional and an unchanged resource answers `{ status: 304 }`
   * (GitHub does not count those against the rate limit). Throws like every other call.
   */
  async rest(
    operation: string,
    route: string,
    parameters: Readonly<Record<string, unknown>> = {},
    options: CallOptions & { readonly etag?: string } = {},
  ): Promise<RestResponse> {
    const headers = options.etag === undefined ? {} : { "if-none-match": options.etag };
    try {
      return await this.#call(operation, options, async () => {
        const response = await this.#octokit.request(route, {
          ...this.#target(),
          ...parameters,
          headers,
          request: request(options),
        });
        return {
          status: response.status,
          data: response.data as unknown,
          etag: response.headers.etag ?? null,
        };
      });
    } catch (error) {
      if (error instanceof GitHubError && error.status === 304)
        return { status: 304, data: null, etag: options.etag ?? null };
      throw error;
    }
  }

  async #findOpenPullRequest(pull: PullRequestRequest): Promise<number | null> {
    const head = pull.head.includes(":") ? pull.head : `${this.owner}:${pull.head}`;
    const response = await this.#call("list pull requests", pull, () =>
      this.#octokit.rest.pulls.list({
        ...this.#target(),
        state: "open",
        head,
        base: pull.base,
        per_page: 10,
        request: request(pull),
      }),
    );
    return response.data[0]?.number ?? null;
  }

  async #updatePullRequest(number: number, pull: PullRequestRequest): Promise<PullRequestResult> {
    const response = await this.#call("update a pull request", pull, () =>
      this.#octokit.rest.pulls.update({
        ...this.#target(),
        pull_number: number,
        title: pull.title,
        body: fitBody(pull.body),
        request: request(pull),
      }),
    );
    return { number: response.data.number, url: response.data.html_url, created: false };
  }

  #target(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo };
  }

  async #call<T>(operation: string, options: CallOptions, call: () => Promise<T>): Promise<T> {
    if (options.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
    try {
      return await call();
    } catch (error) {
      if (options.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
      throw this.#translate(operation, error);
    }
  }

  #translate(operation: string, error: unknown): GitHubError {
    const status = statusOf(error);
    const detail = redactValues(error instanceof Error ? error.message : String(error), [this.#token]);
    const where = `${this.owner}/${this.repo}`;
    const message =
      status === null
        ? `Could not reach GitHub at ${this.baseUrl} to ${operation} in ${where}: ${detail}`
        : `GitHub refused to ${operation} in ${where} (HTTP ${status}): ${detail}${hintFor(status)}`;
    return new GitHubError(message, { status, fields: { operation, repository: where } });
  }
}

function request(options: CallOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

/** The HTTP status GitHub answered with; null when no response came (Octokit then says 500). */
function statusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null || !("status" in error)) return null;
  if (!("response" in error) || error.response === undefined) return null;
  const status = error.status;
  return typeof status === "number" && (status >= 400 || status === 304) ? status : null;
}

function hintFor(status: number): string {
  if (status === 401) return " (check that GITHUB_TOKEN is set to a valid token)";
  if (status === 403)
    return " (the token lacks permission; grant contents, pull-requests and issues write access)";
  if (status === 404) return " (check the repository name and that the token can see it)";
  return "";
}

function toIssue(raw: RawIssue): IssueSummary {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    url: raw.html_url,
    labels: raw.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
    author: raw.user?.login ?? null,
    createdAt: raw.created_at,
  };
}
