import { z } from "zod";
import type { GitHubClient } from "../github-client.js";
import { GitHubError } from "../github-error.js";
import { fitBody } from "../internal/fit-body.js";
import {
  CommentSchema,
  IssueSchema,
  PullSchema,
  ReviewCommentSchema,
  ReviewSchema,
} from "./watch-schemas.js";

/** An open issue (or pull request) as the watch loop sees it. */
export interface WatchIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly labels: readonly string[];
  readonly isPull: boolean;
  readonly createdAt: string;
}

/** A pull request's state. */
export interface PullState {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly merged: boolean;
  readonly draft: boolean;
  readonly url: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
}

/** A review, or an inline review comment. */
export interface ReviewItem {
  readonly kind: "review" | "comment";
  readonly id: number;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, … for reviews; null for comments. */
  readonly state: string | null;
  readonly body: string;
  readonly author: string | null;
  readonly path: string | null;
  readonly line: number | null;
  readonly url: string | null;
}

/** A comment on an issue or pull request. */
export interface WatchComment {
  readonly id: number;
  readonly body: string;
  readonly author: string | null;
}

/** One check on a commit: a check run or a commit status. */
export interface CheckResult {
  readonly name: string;
  /** True for success (and neutral or skipped check runs). */
  readonly ok: boolean;
  readonly done: boolean;
}

/**
 * The reads and writes of the watch loop over {@link GitHubClient.rest}. Every read is
 * conditional: the last ETag of each URL is kept, and an unchanged answer (304, free of rate
 * limit) is served from that cache. Every answer is parsed with zod.
 */
export class WatchApi {
  readonly client: GitHubClient;
  /** Reads sent, and how many of them GitHub answered 304. */
  readonly stats = { reads: 0, notModified: 0 };
  readonly #cache = new Map<string, { readonly etag: string; readonly data: unknown }>();

  constructor(client: GitHubClient) {
    this.client = client;
  }

  /** Open issues and pull requests carrying `label`, oldest first. */
  async openWithLabel(label: string, signal: AbortSignal): Promise<WatchIssue[]> {
    const raw = await this.#all(
      "list issues",
      "GET /repos/{owner}/{repo}/issues",
      { state: "open", labels: label, sort: "created", direction: "asc" },
      signal,
    );
    return z
      .array(IssueSchema)
      .parse(raw)
      .map((issue) => ({
        number: issue.number,
        title: issue.title,
        body: issue.body ?? "",
        url: issue.html_url,
        labels: issue.labels.map((entry) => (typeof entry === "string" ? entry : (entry.name ?? ""))),
        isPull: issue.pull_request !== undefined,
        createdAt: issue.created_at,
      }));
  }

  async pull(number: number, signal: AbortSignal): Promise<PullState> {
    const raw = await this.#get(
      "read a pull request",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      { pull_number: number },
      signal,
    );
    const pull = PullSchema.parse(raw);
    return {
      number: pull.number,
      state: pull.state,
      merged: pull.merged === true || (pull.merged_at ?? null) !== null,
      draft: pull.draft === true,
      url: pull.html_url,
      headRef: pull.head.ref,
      headSha: pull.head.sha,
      baseRef: pull.base.ref,
    };
  }

  /** Reviews and inline review comments of pull request `number`, oldest first within each kind. */
  async reviewItems(number: number, signal: AbortSignal): Promise<ReviewItem[]> {
    const reviews = z
      .array(ReviewSchema)
      .parse(
        await this.#all(
          "list reviews",
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
          { pull_number: number },
          signal,
        ),
      );
    const comments = z
      .array(ReviewCommentSchema)
      .parse(
        await this.#all(
          "list review comments",
          "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
          { pull_number: number },
          signal,
        ),
      );
    return [
      ...reviews.map((review) => ({
        kind: "review" as const,
        id: review.id,
        state: review.state,
        body: review.body ?? "",
        author: review.user?.login ?? null,
        path: null,
        line: null,
        url: review.html_url ?? null,
      })),
      ...comments.map((comment) => ({
        kind: "comment" as const,
        id: comment.id,
        state: null,
        body: comment.body,
        author: comment.user?.login ?? null,
        path: comment.path ?? null,
        line: comment.line ?? comment.original_line ?? null,
        url: comment.html_url ?? null,
      })),
    ];
  }

  async comments(number: number, signal: AbortSignal): Promise<WatchComment[]> {
    const raw = await this.#all(
      "list comments",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { issue_number: number },
      signal,
    );
    return z
      .array(CommentSchema)
      .parse(raw)
      .map((comment) => ({ id: comment.id, body: comment.body ?? "", author: comment.user?.login ?? null }));
  }

  async comment(number: number, body: string, signal: AbortSignal): Promise<number> {
    const response = await this.client.rest(
      "comment",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      { issue_number: number, body: fitBody(body) },
      { signal },
    );
    return CommentSchema.parse(response.data).id;
  }

  async editComment(id: number, body: string, signal: AbortSignal): Promise<void> {
    await this.client.rest(
      "edit a comment",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
      { comment_id: id, body: fitBody(body) },
      { signal },
    );
  }

  /** Names of the checks branch protection requires on `branch`; empty when it requires none or is off. */
  async requiredChecks(branch: string, signal: AbortSignal): Promise<string[]> {
    try {
      const raw = await this.#get(
        "read required checks",
        "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
        { branch },
        signal,
      );
      const parsed = z
        .looseObject({
          contexts: z.array(z.string()).default([]),
          checks: z.array(z.looseObject({ context: z.string() })).default([]),
        })
        .parse(raw);
      return [...new Set([...parsed.contexts, ...parsed.checks.map((check) => check.context)])];
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return [];
      throw error;
    }
  }

  /** Check runs and commit statuses on `sha`. */
  async checks(sha: string, signal: AbortSignal): Promise<CheckResult[]> {
    const runs = z
      .looseObject({
        check_runs: z.array(
          z.looseObject({ name: z.string(), status: z.string(), conclusion: z.string().nullish() }),
        ),
      })
      .parse(
        await this.#get(
          "list check runs",
          "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
          { ref: sha, per_page: 100 },
          signal,
        ),
      );
    const statuses = z
      .looseObject({
        statuses: z.array(z.looseObject({ context: z.string(), state: z.string() })).default([]),
      })
      .parse(
        await this.#get(
          "read commit status",
          "GET /repos/{owner}/{repo}/commits/{ref}/status",
          { ref: sha },
          signal,
        ),
      );
    return [
      ...runs.check_runs.map((run) => ({
        name: run.name,
        done: run.status === "completed",
        ok: run.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? ""),
      })),
      ...statuses.statuses.map((status) => ({
        name: status.context,
        done: status.state !== "pending",
        ok: status.state === "success",
      })),
    ];
  }

  /** Merges pull request `number` if its head is still `sha`; false with GitHub's reason when it refuses. */
  async merge(
    number: number,
    sha: string,
    signal: AbortSignal,
  ): Promise<{ merged: boolean; reason: string }> {
    try {
      const response = await this.client.rest(
        "merge a pull request",
        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
        { pull_number: number, sha, merge_method: "merge" },
        { signal },
      );
      const parsed = z
        .looseObject({ merged: z.boolean(), message: z.string().nullish() })
        .parse(response.data);
      return { merged: parsed.merged, reason: parsed.message ?? "" };
    } catch (error) {
      if (
        error instanceof GitHubError &&
        (error.status === 405 || error.status === 409 || error.status === 422)
      ) {
        return { merged: false, reason: error.message };
      }
      throw error;
    }
  }

  async #get(
    operation: string,
    route: string,
    parameters: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const key = `${route} ${JSON.stringify(parameters)}`;
    const cached = this.#cache.get(key);
    this.stats.reads += 1;
    const response = await this.client.rest(operation, route, parameters, {
      signal,
      ...(cached === undefined ? {} : { etag: cached.etag }),
    });
    if (response.status === 304 && cached !== undefined) {
      this.stats.notModified += 1;
      return cached.data;
    }
    if (response.etag !== null) this.#cache.set(key, { etag: response.etag, data: response.data });
    return response.data;
  }

  /** Every page of a list (100 a page), each page read conditionally. */
  async #all(
    operation: string,
    route: string,
    parameters: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; page <= 50; page += 1) {
      const data = await this.#get(operation, route, { ...parameters, per_page: 100, page }, signal);
      const list = z.array(z.unknown()).parse(data);
      items.push(...list);
      if (list.length < 100) break;
    }
    return items;
  }
}
