import { redactValues, UserError } from "@longshot/core";
import { type GitRunner, ProcessGitRunner, type PushOutcome } from "@longshot/git";
import { GitHubError } from "./github-error.js";
import { basicCredential, gitAuthEnvironment } from "./internal/git-auth.js";

/** Options of {@link pushBranch}. */
export interface PushBranchOptions {
  /** The local repository. */
  readonly repoPath: string;
  /** A remote name (`origin`) or URL. */
  readonly remote: string;
  /** Local branch (or any revision) to push. */
  readonly branch: string;
  /** Branch name on the remote; default `branch`. */
  readonly remoteBranch?: string;
  /** Token for an https remote. Omit for ssh remotes or remotes that need none. */
  readonly token?: string;
  /** Overwrite the remote branch even when the push is not a fast-forward. */
  readonly force?: boolean;
  /**
   * Compare-and-swap: push only while the remote branch is still at this commit (null: only
   * while it does not exist), as `--force-with-lease`. A stale lease is a rejection.
   */
  readonly expected?: string | null;
  /** How git runs; default {@link ProcessGitRunner} (inherits this process's environment). */
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

const remoteName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Pushes `branch` to `remoteBranch` on `remote` with `git push`. The token reaches git only
 * through the environment of that one git process (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/
 * `GIT_CONFIG_VALUE_n` setting `http.<url>.extraheader` to a basic Authorization header, after
 * an empty value that drops any header a checkout persisted): it is never written to
 * `.git/config` and never appears in git's arguments. A rejection (not a fast-forward, a
 * protected branch) is returned as `{ ok: false, reason }`. Throws `UserError` for an unknown
 * remote, {@link GitHubError} when the push fails in transport or authentication, and
 * `AbortError` when the signal aborts.
 */
export async function pushBranch(options: PushBranchOptions): Promise<PushOutcome> {
  const runner = options.runner ?? new ProcessGitRunner();
  const url = await remoteUrl(runner, options);
  const secrets = options.token === undefined ? [] : [options.token, basicCredential(options.token)];
  const destination = `refs/heads/${options.remoteBranch ?? options.branch}`;
  const args = [
    "push",
    "--porcelain",
    "--no-verify",
    ...(options.force === true ? ["--force"] : []),
    ...(options.expected === undefined
      ? []
      : [`--force-with-lease=${destination}:${options.expected ?? ""}`]),
    options.remote,
    `${options.branch}:${destination}`,
  ];
  const result = await runner.run({
    args,
    cwd: options.repoPath,
    env: { GIT_TERMINAL_PROMPT: "0", ...gitAuthEnvironment(url, options.token) },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (result.exitCode === 0) return { ok: true };
  const rejected = result.stdout.split("\n").find((line) => line.startsWith("!"));
  if (result.exitCode === 1 && rejected !== undefined) {
    return { ok: false, reason: redactValues(rejected.split("\t")[2] ?? rejected, secrets) };
  }
  const detail = redactValues(result.stderr.trim() || result.stdout.trim(), secrets);
  const denied = /authentication failed|403|401|denied|could not read username/i.test(detail);
  throw new GitHubError(
    `Could not push ${options.branch} to ${options.remote}: ${detail}${denied ? " (check that GITHUB_TOKEN can write to the repository)" : ""}`,
    { status: denied ? 401 : null, fields: { remote: options.remote, branch: options.branch } },
  );
}

/** The URL git pushes to for `options.remote` (a name or already a URL). */
export async function remoteUrl(
  runner: GitRunner,
  options: Pick<PushBranchOptions, "remote" | "repoPath" | "signal">,
): Promise<string> {
  if (!remoteName.test(options.remote)) return options.remote;
  const result = await runner.run({
    args: ["remote", "get-url", "--push", options.remote],
    cwd: options.repoPath,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (result.exitCode !== 0) {
    throw new UserError(
      `${options.repoPath} has no git remote named "${options.remote}"; add it with \`git remote add ${options.remote} <url>\` or pass the remote's URL.`,
    );
  }
  return result.stdout.trim();
}
