import { MissingRemoteError } from "../errors.js";
import type { GitRunner, GitRunResult, RemoteAccessOptions } from "../git-runner.js";
import { ProcessGitRunner } from "../process-git-runner.js";
import { remoteUrl } from "../remote-url.js";
import { isObjectId } from "./parse.js";
import { runChecked } from "./run-checked.js";

/** What one git process that talks to a remote gets: its extra environment and what to redact. */
export interface RemoteAccess {
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/** How {@link remoteAccess} finds the remote. */
export interface RemoteAccessRequest {
  readonly runner: GitRunner;
  readonly repoPath: string;
  /** A remote name (`origin`), a URL or a path. */
  readonly remote: string;
  readonly token: string | undefined;
  /** Whether git pushes (the remote's push URL counts) or fetches (its URL). */
  readonly push: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** What a remote name looks like, as opposed to a URL or a path with a slash. */
const remoteName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The environment of one git process talking to `remote`: never a terminal prompt, and with a
 * token the `Authorization` header for the remote's URL (read from the repository's remotes
 * when `remote` is a name). Throws `MissingRemoteError` when a token is given for a name the
 * repository has no remote of.
 */
export async function remoteAccess(request: RemoteAccessRequest): Promise<RemoteAccess> {
  const base = { GIT_TERMINAL_PROMPT: "0" };
  const token = request.token ?? "";
  if (token === "") return { env: base, secrets: [] };
  const url = remoteName.test(request.remote)
    ? await remoteUrl(request.repoPath, request.remote, {
        runner: request.runner,
        push: request.push,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      })
    : request.remote;
  if (url === null) {
    throw new MissingRemoteError(
      `${request.repoPath} has no git remote named "${request.remote}"; add it with \`git remote add ${request.remote} <url>\` or pass the remote's URL.`,
      { fields: { repoPath: request.repoPath, remote: request.remote } },
    );
  }
  return { env: { ...base, ...headerEnvironment(url, token) }, secrets: [token, basicCredential(token)] };
}

/**
 * `http.<url>.extraheader` set through `GIT_CONFIG_*` (empty for non-http remotes and URLs that
 * carry their own credentials), after an empty value that drops any header a checkout persisted
 * in `.git/config` (actions/checkout does), so git sends exactly one.
 */
function headerEnvironment(url: string, token: string): Record<string, string> {
  if (!/^https?:\/\//i.test(url) || hasCredentials(url)) return {};
  const key = `http.${url}.extraheader`;
  return {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: "",
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basicCredential(token)}`,
  };
}

/** One remote of one repository, ready for git commands that talk to it. */
export interface RemoteCall {
  readonly runner: GitRunner;
  readonly repoPath: string;
  readonly remote: string;
  readonly access: RemoteAccess;
  readonly signal?: AbortSignal | undefined;
}

/** Prepares git commands that talk to `remote` (see {@link remoteAccess}, which may throw). */
export async function openRemote(
  repoPath: string,
  remote: string,
  options: RemoteAccessOptions,
  push: boolean,
): Promise<RemoteCall> {
  const runner = options.runner ?? new ProcessGitRunner();
  const { signal } = options;
  const access = await remoteAccess({ runner, repoPath, remote, token: options.token, push, signal });
  return { runner, repoPath, remote, access, signal };
}

/** Runs `git args` for `call` with its environment, its secrets redacted (see `runChecked`). */
export function runRemote(
  call: RemoteCall,
  args: readonly string[],
  accept: readonly number[] = [0],
): Promise<GitRunResult> {
  const { env, secrets } = call.access;
  return runChecked(call.runner, call.repoPath, args, { env, secrets, signal: call.signal, accept });
}

/** The object id of the full ref `ref` on the remote (`git ls-remote`), or null when it lacks it. */
export async function lsRemoteRef(call: RemoteCall, ref: string): Promise<string | null> {
  const result = await runRemote(call, ["ls-remote", call.remote, ref]);
  for (const line of result.stdout.split("\n")) {
    const [sha = "", name = ""] = line.split("\t");
    if (name === ref && isObjectId(sha)) return sha;
  }
  return null;
}

/** Fetches `refspecs` from the remote, without tags and without writing FETCH_HEAD. */
export async function fetchRefspecs(call: RemoteCall, refspecs: readonly string[]): Promise<void> {
  await runRemote(call, ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", call.remote, ...refspecs]);
}

/** The basic-auth credential git sends for `token` (a secret as much as the token). */
function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
}

function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "";
  } catch {
    return false;
  }
}
