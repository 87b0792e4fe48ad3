import { type ApiRequest, type ApiResponse, invalid, notFound, page } from "./fake-github-http.js";
import { type FakeRepository, pullRoute } from "./fake-github-pull-routes.js";
import type { FakeGitHubState } from "./fake-github-state.js";

/** Answers the REST endpoints longshot uses, the way GitHub does. */
export async function route(
  state: FakeGitHubState,
  request: ApiRequest,
  repository: FakeRepository,
): Promise<ApiResponse> {
  const prefix = `/repos/${state.owner}/${state.repo}`;
  if (!request.path.startsWith(prefix)) return notFound;
  const rest = request.path.slice(prefix.length);
  const pullAnswer = await pullRoute(state, request, rest, repository);
  if (pullAnswer !== null) return pullAnswer;
  const key = `${request.method} ${rest.replace(/\/\d+(?=\/|$)/g, "/:n")}`;
  const number = Number.parseInt(/\/(\d+)/.exec(rest)?.[1] ?? "0", 10);
  switch (key) {
    case "GET ":
      return { status: 200, body: state.repositoryJson() };
    case "GET /pulls":
      return listPulls(state, request);
    case "POST /pulls":
      return createPull(state, request, repository);
    case "PATCH /pulls/:n":
      return updatePull(state, number, request.body);
    case "GET /issues":
      return listIssues(state, request);
    case "POST /issues":
      return createIssue(state, request.body);
    case "GET /issues/:n/comments":
      return listComments(state, number, request);
    case "POST /issues/:n/comments":
      return createComment(state, number, request.body);
    case "PATCH /issues/comments/:n":
      return editComment(state, number, request.body);
    default:
      return notFound;
  }
}

function listPulls(state: FakeGitHubState, request: ApiRequest): ApiResponse {
  const wanted = request.query.get("state") ?? "open";
  const head = request.query.get("head");
  const base = request.query.get("base");
  const pulls = state.pulls.filter(
    (pull) =>
      (wanted === "all" || pull.state === wanted) &&
      (head === null || `${state.owner}:${pull.head}` === head) &&
      (base === null || pull.base === base),
  );
  return page(
    pulls.map((pull) => state.pullJson(pull)),
    request,
  );
}

async function createPull(
  state: FakeGitHubState,
  request: ApiRequest,
  repository: FakeRepository,
): Promise<ApiResponse> {
  const { title, head, base, body, draft } = request.body;
  if (typeof title !== "string" || typeof head !== "string" || typeof base !== "string") {
    return invalid("title, head and base are required");
  }
  const branch = head.includes(":") ? head.slice(head.indexOf(":") + 1) : head;
  if (state.pulls.some((pull) => pull.state === "open" && pull.head === branch && pull.base === base)) {
    return invalid(`A pull request already exists for ${state.owner}:${branch}.`);
  }
  if (!(await repository.branchExists(branch))) return invalid(`head: ${branch} does not exist`);
  const pull = state.addPull({
    title,
    head: branch,
    base,
    body: typeof body === "string" ? body : "",
    draft: draft === true,
  });
  return { status: 201, body: state.pullJson(pull) };
}

function updatePull(state: FakeGitHubState, number: number, body: Record<string, unknown>): ApiResponse {
  const pull = state.pulls.find((candidate) => candidate.number === number);
  if (pull === undefined) return notFound;
  if (typeof body.title === "string") pull.title = body.title;
  if (typeof body.body === "string") pull.body = body.body;
  if (body.state === "open" || body.state === "closed") pull.state = body.state;
  return { status: 200, body: state.pullJson(pull) };
}

function listIssues(state: FakeGitHubState, request: ApiRequest): ApiResponse {
  const wanted = request.query.get("state") ?? "open";
  const labels = (request.query.get("labels") ?? "").split(",").filter((label) => label !== "");
  const issues = state.issues
    .filter((issue) => wanted === "all" || issue.state === wanted)
    .filter((issue) => labels.every((label) => issue.labels.includes(label)));
  if (request.query.get("direction") !== "asc") issues.reverse();
  return page(
    issues.map((issue) => state.issueJson(issue)),
    request,
  );
}

function createIssue(state: FakeGitHubState, body: Record<string, unknown>): ApiResponse {
  if (typeof body.title !== "string" || body.title === "") return invalid("title is required");
  const labels = Array.isArray(body.labels) ? body.labels.filter((label) => typeof label === "string") : [];
  const issue = state.addIssue({
    title: body.title,
    body: typeof body.body === "string" ? body.body : "",
    labels,
    user: "longshot-bot",
  });
  return { status: 201, body: state.issueJson(issue) };
}

function listComments(state: FakeGitHubState, number: number, request: ApiRequest): ApiResponse {
  const issue = state.issues.find((candidate) => candidate.number === number);
  if (issue === undefined) return notFound;
  return page(
    issue.comments.map((comment) => state.commentJson(issue, comment)),
    request,
  );
}

function createComment(state: FakeGitHubState, number: number, body: Record<string, unknown>): ApiResponse {
  const issue = state.issues.find((candidate) => candidate.number === number);
  if (issue === undefined) return notFound;
  if (typeof body.body !== "string" || body.body === "") return invalid("body is required");
  return { status: 201, body: state.commentJson(issue, state.addComment(issue, body.body)) };
}

function editComment(state: FakeGitHubState, id: number, body: Record<string, unknown>): ApiResponse {
  const found = state.findComment(id);
  if (found === undefined) return notFound;
  if (typeof body.body !== "string" || body.body === "") return invalid("body is required");
  found.comment.body = body.body;
  return { status: 200, body: state.commentJson(found.issue, found.comment) };
}
