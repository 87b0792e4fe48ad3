import { type ApiRequest, type ApiResponse, invalid, notFound, page } from "./fake-github-http.js";
import type { FakeGitHubState } from "./fake-github-state.js";

/** What the fake needs of the served repository (trivial answers when there is none). */
export interface FakeRepository {
  branchExists(branch: string): Promise<boolean>;
  /** The commit `branch` points at, or null. */
  headOf(branch: string): Promise<string | null>;
  /** Merges `head` into `base` with a merge commit, as GitHub's merge button; the new sha or null on a conflict. */
  merge(base: string, head: string, message: string): Promise<string | null>;
}

/**
 * Pull request reads and merges, reviews and review comments, branch protection and the checks
 * on a commit; null when the path is none of these.
 */
export async function pullRoute(
  state: FakeGitHubState,
  request: ApiRequest,
  rest: string,
  repository: FakeRepository,
): Promise<ApiResponse | null> {
  const { method } = request;
  const pullMatch = /^\/pulls\/(\d+)(\/reviews|\/comments|\/merge)?$/.exec(rest);
  if (pullMatch !== null) {
    const pull = state.pulls.find((candidate) => candidate.number === Number(pullMatch[1]));
    if (pull === undefined) return notFound;
    const sub = pullMatch[2] ?? "";
    if (method === "GET" && sub === "")
      return { status: 200, body: state.pullJson(pull, await repository.headOf(pull.head)) };
    if (method === "GET" && sub === "/reviews")
      return page(
        pull.reviews.map((review) => state.reviewJson(pull, review)),
        request,
      );
    if (method === "GET" && sub === "/comments") {
      return page(
        pull.reviewComments.map((comment) => state.reviewCommentJson(pull, comment)),
        request,
      );
    }
    if (method === "PUT" && sub === "/merge") {
      if (pull.state !== "open") return { status: 405, body: { message: "Pull Request is not mergeable" } };
      const head = await repository.headOf(pull.head);
      if (typeof request.body.sha === "string" && head !== null && request.body.sha !== head) {
        return {
          status: 409,
          body: { message: "Head branch was modified. Review and try the merge again." },
        };
      }
      const sha = await repository.merge(pull.base, pull.head, `Merge pull request #${pull.number}`);
      if (sha === null) return { status: 405, body: { message: "Pull Request is not mergeable" } };
      pull.merged = true;
      pull.state = "closed";
      return { status: 200, body: { merged: true, sha, message: "Pull Request successfully merged" } };
    }
    return null;
  }
  const protection = /^\/branches\/(.+)\/protection\/required_status_checks$/.exec(rest);
  if (protection !== null && method === "GET") {
    const required = state.requiredChecks.get(decodeURIComponent(protection[1]!));
    if (required === undefined) return { status: 404, body: { message: "Branch not protected" } };
    return {
      status: 200,
      body: { strict: false, contexts: required, checks: required.map((context) => ({ context })) },
    };
  }
  const commit = /^\/commits\/([^/]+)\/(check-runs|status)$/.exec(rest);
  if (commit !== null && method === "GET") {
    const sha = decodeURIComponent(commit[1]!);
    const runs = state.checks.filter((check) => check.sha === sha);
    if (commit[2] === "status") return { status: 200, body: { state: "pending", statuses: [] } };
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: runs.map((run) => ({ name: run.name, status: run.status, conclusion: run.conclusion })),
      },
    };
  }
  if (method === "POST" && /^\/pulls\/\d+\/comments\/\d+\/replies$/.test(rest))
    return invalid("not supported by the fake");
  return null;
}
