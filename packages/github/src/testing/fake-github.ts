import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gitIn, mergeIn } from "./internal/fake-bare-repo.js";
import type { ApiRequest } from "./internal/fake-github-http.js";
import type { FakeRepository } from "./internal/fake-github-pull-routes.js";
import { route } from "./internal/fake-github-routes.js";
import {
  type FakeCheck,
  type FakeComment,
  FakeGitHubState,
  type FakeIssue,
  type FakePullRequest,
  type FakeReview,
  type FakeReviewComment,
} from "./internal/fake-github-state.js";
import { gitExecPath, serveGit } from "./internal/git-http-backend.js";

export type { FakeCheck, FakeComment, FakeIssue, FakePullRequest, FakeReview, FakeReviewComment };

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  /** The only token the fake accepts (REST: `token`/`Bearer` header; git: basic password). */
  readonly token: string;
  readonly owner?: string;
  readonly repo?: string;
  readonly defaultBranch?: string;
  /**
   * A bare repository served over git's smart HTTP protocol at {@link FakeGitHub.gitUrl}
   * (through `git http-backend`), so pushes with the token can be tested. Pull requests can
   * then only be opened from branches that exist in it, as on GitHub.
   */
  readonly bareRepository?: string;
}

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  /** Full path with query, as sent. */
  readonly url: string;
  /** `api` for the REST API, `git` for the smart HTTP git endpoint. */
  readonly kind: "api" | "git";
  /** The Authorization header as received, or null. */
  readonly authorization: string | null;
  readonly authorized: boolean;
  /** Parsed JSON body of a REST request (`{}` when there was none). */
  readonly body: Record<string, unknown>;
  readonly status: number;
}

/** A running fake GitHub. */
export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`: the web host (git remotes live under it). */
  readonly url: string;
  /** The REST API base (`<url>/api/v3`, the GitHub Enterprise Server layout). */
  readonly apiUrl: string;
  /** The repository's git remote URL (`<url>/<owner>/<repo>.git`). */
  readonly gitUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  readonly issues: readonly FakeIssue[];
  readonly pulls: readonly FakePullRequest[];
  /** Adds an open issue as a user would. */
  addIssue(fields: { title: string; body?: string; labels?: readonly string[]; user?: string }): FakeIssue;
  /** Adds a comment to issue `number` as `user`. */
  addComment(number: number, body: string, user?: string): FakeComment;
  /** Submits a review of pull request `number` as `user`, with inline comments. */
  addReview(
    number: number,
    review: {
      state: FakeReview["state"];
      body?: string;
      user?: string;
      comments?: readonly { path: string; line: number; body: string }[];
    },
  ): FakeReview;
  /** Merges pull request `number` as a person pressing the button (a merge commit in the bare repository). */
  mergePull(number: number): Promise<string>;
  /** Adds `label` to issue or pull request `number`; `removeLabel` takes it off. */
  addLabel(number: number, label: string): void;
  removeLabel(number: number, label: string): void;
  /** Sets a check run on `sha`; `requireChecks` makes branch protection of `branch` require names. */
  setCheck(
    sha: string,
    name: string,
    conclusion: FakeCheck["conclusion"],
    status?: FakeCheck["status"],
  ): void;
  requireChecks(branch: string, names: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * Starts a fake GitHub on 127.0.0.1 (ephemeral port): the REST endpoints longshot's
 * `GitHubClient` and the watch loop call (repository; pull requests list, read, create, update,
 * merge; reviews and review comments; issues list/create; issue comments list, create, edit;
 * branch protection and check runs) with GitHub's pagination, ETags (304 for an unchanged
 * conditional read), 401 for a missing or wrong token, 422 for a duplicate pull request; and,
 * with `bareRepository`, git push and fetch over HTTP. Every request is recorded.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? "octo";
  const repo = options.repo ?? "demo";
  let origin = "";
  const state = new FakeGitHubState(owner, repo, options.defaultBranch ?? "main", () => origin);
  const requests: RecordedRequest[] = [];
  const execPath = options.bareRepository === undefined ? "" : await gitExecPath();
  const bare = options.bareRepository;
  const repository = repositoryOf(bare);
  const gitPrefix = `/${owner}/${repo}.git`;
  const api: ApiContext = { state, repository, token: options.token, requests, origin: () => origin };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    const authorization = request.headers.authorization ?? null;
    if (path.startsWith(gitPrefix) && bare !== undefined) {
      const authorized = basicPassword(authorization) === options.token;
      record(requests, request, "git", authorization, authorized, {}, authorized ? 200 : 401);
      if (!authorized) {
        response.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' }).end();
        return;
      }
      serveGit(execPath, bare, path.slice(gitPrefix.length), request, response);
      return;
    }
    void answerApi(api, request, response, authorization);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    apiUrl: `${origin}/api/v3`,
    gitUrl: `${origin}${gitPrefix}`,
    owner,
    repo,
    requests,
    issues: state.issues,
    pulls: state.pulls,
    addIssue: (fields) => state.addIssue(fields),
    addComment: (number, body, user = "octocat") => state.addComment(issueOf(state, number), body, user),
    addReview: (number, review) => {
      const pull = pullOf(state, number);
      const user = review.user ?? "octocat";
      const added = state.addReview(pull, { state: review.state, body: review.body ?? "", user });
      for (const comment of review.comments ?? []) {
        state.addReviewComment(pull, { ...comment, user, inReplyTo: null });
      }
      return added;
    },
    mergePull: async (number) => {
      const pull = pullOf(state, number);
      const sha = await repository.merge(pull.base, pull.head, `Merge pull request #${number}`);
      if (sha === null) throw new Error(`Pull request #${number} does not merge cleanly.`);
      pull.merged = true;
      pull.state = "closed";
      return sha;
    },
    addLabel: (number, label) => {
      const issue = issueOf(state, number);
      if (!issue.labels.includes(label)) issue.labels.push(label);
    },
    removeLabel: (number, label) => {
      const issue = issueOf(state, number);
      issue.labels.splice(0, issue.labels.length, ...issue.labels.filter((entry) => entry !== label));
    },
    setCheck: (sha, name, conclusion, status = "completed") => {
      const existing = state.checks.find((check) => check.sha === sha && check.name === name);
      if (existing !== undefined) {
        existing.conclusion = conclusion;
        existing.status = status;
      } else state.checks.push({ sha, name, conclusion, status });
    },
    requireChecks: (branch, names) => {
      state.requiredChecks.set(branch, [...names]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The pull requests' view of the bare repository; without one, every branch exists and every merge succeeds. */
function repositoryOf(bare: string | undefined): FakeRepository {
  return {
    branchExists: async (branch) =>
      bare === undefined ||
      (await gitIn(bare, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])) !== null,
    headOf: (branch) =>
      bare === undefined
        ? Promise.resolve(null)
        : gitIn(bare, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]),
    merge: (base, head, message) =>
      bare === undefined ? Promise.resolve("0".repeat(40)) : mergeIn(bare, base, head, message),
  };
}

/** What answering the REST API needs: the state, the repository, the token and the record. */
interface ApiContext {
  readonly state: FakeGitHubState;
  readonly repository: FakeRepository;
  readonly token: string;
  readonly requests: RecordedRequest[];
  /** The server's origin, known once it listens. */
  origin(): string;
}

/**
 * Answers one REST request: 401 without the token, 404 outside `/api/v3`, else the route's
 * answer, with an ETag on successful reads and a bodiless 304 when it matches If-None-Match.
 */
async function answerApi(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  authorization: string | null,
): Promise<void> {
  const { requests } = context;
  const body = await readJson(request);
  const url = new URL(request.url ?? "/", "http://fake");
  const authorized = bearer(authorization) === context.token;
  const apiPath = url.pathname.startsWith("/api/v3/") ? url.pathname.slice("/api/v3".length) : null;
  let answer: { status: number; body: unknown; headers?: Record<string, string> };
  if (!authorized) answer = { status: 401, body: { message: "Bad credentials" } };
  else if (apiPath === null) answer = { status: 404, body: { message: "Not Found" } };
  else {
    const apiRequest: ApiRequest = {
      method: request.method ?? "GET",
      path: apiPath,
      query: url.searchParams,
      body,
      origin: context.origin(),
    };
    answer = await route(context.state, apiRequest, context.repository);
  }
  // GitHub's conditional reads: an unchanged answer to If-None-Match is a bodiless 304.
  if (request.method === "GET" && answer.status === 200) {
    const etag = `"${createHash("sha1").update(JSON.stringify(answer.body)).digest("hex")}"`;
    answer = { ...answer, headers: { ...answer.headers, etag } };
    if (request.headers["if-none-match"] === etag) {
      record(requests, request, "api", authorization, authorized, body, 304);
      response.writeHead(304, { etag }).end();
      return;
    }
  }
  record(requests, request, "api", authorization, authorized, body, answer.status);
  response.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    ...answer.headers,
  });
  response.end(JSON.stringify(answer.body));
}

function record(
  requests: RecordedRequest[],
  request: IncomingMessage,
  kind: "api" | "git",
  authorization: string | null,
  authorized: boolean,
  body: Record<string, unknown>,
  status: number,
): void {
  requests.push({
    method: request.method ?? "GET",
    url: request.url ?? "/",
    kind,
    authorization,
    authorized,
    body,
    status,
  });
}

function bearer(header: string | null): string | null {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

function basicPassword(header: string | null): string | null {
  const match = /^basic\s+(\S+)$/i.exec(header ?? "");
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : decoded.slice(colon + 1);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function issueOf(state: FakeGitHubState, number: number): FakeIssue {
  const issue = state.issues.find((candidate) => candidate.number === number);
  if (issue === undefined) throw new Error(`The fake GitHub has no issue #${number}.`);
  return issue;
}

function pullOf(state: FakeGitHubState, number: number): FakePullRequest {
  const pull = state.pulls.find((candidate) => candidate.number === number);
  if (pull === undefined) throw new Error(`The fake GitHub has no pull request #${number}.`);
  return pull;
}
