import { UserError } from "@longshot/core";
import { type GitRunner, remoteUrl as readRemoteUrl } from "@longshot/git";
import { GitHubClient } from "./github-client.js";
import { apiUrlFor, type GitHubRepository, parseGitHubRemote } from "./parse-github-remote.js";

/** Options of {@link connectGitHub}. */
export interface ConnectGitHubOptions {
  /** The local clone; its remote names the GitHub repository. */
  readonly repoPath: string;
  /** The remote to read; default `origin`. */
  readonly remote?: string;
  /** GITHUB_TOKEN. */
  readonly token: string | undefined;
  /** `owner/repo`, overriding the remote (GITHUB_REPOSITORY in Actions). */
  readonly repository?: string;
  /** REST API address (GITHUB_API_URL in Actions); default derived from the remote's host. */
  readonly apiUrl?: string;
  readonly fetch?: typeof fetch;
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

/** A client for the repository behind a clone's remote. */
export interface GitHubConnection {
  readonly client: GitHubClient;
  readonly repository: GitHubRepository;
  /** The remote's URL as git has it. */
  readonly remoteUrl: string;
}

/**
 * Works out which GitHub repository a clone belongs to (from its remote, or `repository`) and
 * returns a client for it. Makes no network call, so the CLI can run it before the first side
 * effect. Throws `UserError` when the token is missing, the remote does not exist or is not a
 * GitHub URL.
 */
export async function connectGitHub(options: ConnectGitHubOptions): Promise<GitHubConnection> {
  const token = options.token?.trim() ?? "";
  if (token === "") {
    throw new UserError(
      "GITHUB_TOKEN is not set; set it to a token that can push branches and open pull requests (in Actions: `secrets.GITHUB_TOKEN`).",
    );
  }
  const remote = options.remote ?? "origin";
  const remoteUrl =
    (await readRemoteUrl(options.repoPath, remote, {
      push: true,
      ...(options.runner === undefined ? {} : { runner: options.runner }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })) ?? "";
  const parsed = remoteUrl === "" ? null : parseGitHubRemote(remoteUrl);
  const repository = options.repository === undefined ? parsed : override(options.repository, parsed);
  if (remoteUrl === "" || repository === null) {
    const found = remoteUrl === "" ? `has no remote "${remote}"` : `has remote "${remote}" at ${remoteUrl}`;
    throw new UserError(
      `${options.repoPath} ${found}, which is not a GitHub repository; add one with \`git remote add ${remote} https://github.com/<owner>/<repo>.git\`.`,
    );
  }
  const client = new GitHubClient({
    token,
    owner: repository.owner,
    repo: repository.repo,
    baseUrl: options.apiUrl ?? apiUrlFor(repository.host),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return { client, repository, remoteUrl };
}

function override(fullName: string, parsed: GitHubRepository | null): GitHubRepository {
  const [owner = "", repo = "", ...rest] = fullName.split("/");
  if (owner === "" || repo === "" || rest.length > 0) {
    throw new UserError(`The repository "${fullName}" is not in the form owner/repo; pass it as owner/repo.`);
  }
  return { host: parsed?.host ?? "github.com", owner, repo };
}
