import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiRequest, route } from "./internal/fake-github-routes.js";
import {
  type FakeComment,
  FakeGitHubState,
  type FakeIssue,
  type FakePullRequest,
} from "./internal/fake-github-state.js";
import { gitExecPath, serveGit } from "./internal/git-http-backend.js";

export type { FakeComment, FakeIssue, FakePullRequest };

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
  close(): Promise<void>;
}

/**
 * Starts a fake GitHub on 127.0.0.1 (ephemeral port): the REST endpoints longshot's
 * `GitHubClient` calls (repository, pull requests list/create/update, issues list/create,
 * issue comments list/create) with GitHub's pagination, 401 for a missing or wrong token, 422
 * for a duplicate pull request; and, with `bareRepository`, git push and fetch over HTTP.
 * Every request is recorded.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? "octo";
  const repo = options.repo ?? "demo";
  let origin = "";
  const state = new FakeGitHubState(owner, repo, options.defaultBranch ?? "main", () => origin);
  const requests: RecordedRequest[] = [];
  const execPath = options.bareRepository === undefined ? "" : await gitExecPath();
  const bare = options.bareRepository;
  const branchExists = (branch: string): Promise<boolean> =>
    bare === undefined ? Promise.resolve(true) : refExists(bare, `refs/heads/${branch}`);
  const gitPrefix = `/${owner}/${repo}.git`;

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
    void handleApi(request, response, authorization);
  });

  const handleApi = async (
    request: IncomingMessage,
    response: ServerResponse,
    authorization: string | null,
  ): Promise<void> => {
    const body = await readJson(request);
    const url = new URL(request.url ?? "/", "http://fake");
    const authorized = bearer(authorization) === options.token;
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
        origin,
      };
      answer = await route(state, apiRequest, branchExists);
    }
    record(requests, request, "api", authorization, authorized, body, answer.status);
    response.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      ...answer.headers,
    });
    response.end(JSON.stringify(answer.body));
  };

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
    addComment: (number, body, user = "octocat") => {
      const issue = state.issues.find((candidate) => candidate.number === number);
      if (issue === undefined) throw new Error(`The fake GitHub has no issue #${number}.`);
      return state.addComment(issue, body, user);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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

function refExists(bare: string, ref: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("git", ["-C", bare, "rev-parse", "--verify", "--quiet", ref], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
