import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { redactValues } from "@longshot/core";
import type { GitRunner, Identity } from "@longshot/git";
import { GitHubError } from "./github-error.js";
import { basicCredential, gitAuthEnvironment } from "./internal/git-auth.js";
import { remoteUrl } from "./push-branch.js";

/** Options shared by the remote operations. */
export interface RemoteOptions {
  readonly repoPath: string;
  /** A remote name (`origin`) or URL. */
  readonly remote: string;
  readonly token?: string;
  readonly runner: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Fetches `branch` from the remote into the full ref `into` (forced: it mirrors the remote) and
 * returns its commit, or null when the remote has no such branch. The token reaches only this
 * git process, as for `pushBranch`. Throws {@link GitHubError} when the fetch itself fails.
 */
export async function fetchBranch(
  options: RemoteOptions,
  branch: string,
  into: string,
): Promise<string | null> {
  const url = await remoteUrl(options.runner, options);
  const secrets = options.token === undefined ? [] : [options.token, basicCredential(options.token)];
  const env = { GIT_TERMINAL_PROMPT: "0", ...gitAuthEnvironment(url, options.token) };
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const listed = await options.runner.run({
    args: ["ls-remote", "--heads", options.remote, `refs/heads/${branch}`],
    cwd: options.repoPath,
    env,
    ...signal,
  });
  if (listed.exitCode !== 0) {
    throw new GitHubError(
      `Could not read ${branch} from ${options.remote}: ${redactValues(listed.stderr.trim(), secrets)}`,
      {
        status: null,
        fields: { remote: options.remote, branch },
      },
    );
  }
  if (listed.stdout.trim() === "") return null;
  const fetched = await options.runner.run({
    args: [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      options.remote,
      `+refs/heads/${branch}:${into}`,
    ],
    cwd: options.repoPath,
    env,
    ...signal,
  });
  if (fetched.exitCode !== 0) {
    throw new GitHubError(
      `Could not fetch ${branch} from ${options.remote}: ${redactValues(fetched.stderr.trim(), secrets)}`,
      {
        status: null,
        fields: { remote: options.remote, branch },
      },
    );
  }
  const resolved = await options.runner.run({
    args: ["rev-parse", "--verify", "--quiet", `${into}^{commit}`],
    cwd: options.repoPath,
    ...signal,
  });
  return resolved.exitCode === 0 ? resolved.stdout.trim() : null;
}

/**
 * A new commit on top of `parent` that sets `path` to `content`, written with git plumbing and a
 * private index: no checkout, no working tree touched, no ref moved. Returns its id.
 */
export async function commitFile(
  options: Pick<RemoteOptions, "repoPath" | "runner" | "signal">,
  change: {
    readonly parent: string;
    readonly path: string;
    readonly content: string;
    readonly message: string;
    readonly author: Identity;
  },
): Promise<string> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const git = async (
    args: string[],
    extra: { env?: Record<string, string>; input?: string } = {},
  ): Promise<string> => {
    const result = await options.runner.run({ args, cwd: options.repoPath, ...extra, ...signal });
    if (result.exitCode !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr.trim()}`);
    return result.stdout.trim();
  };
  const gitDir = await git(["rev-parse", "--absolute-git-dir"]);
  const index = join(gitDir, `longshot-index-${randomUUID()}`);
  try {
    const env = { GIT_INDEX_FILE: index };
    await git(["read-tree", change.parent], { env });
    const blob = await git(["hash-object", "-w", "--stdin"], { input: change.content });
    await git(["update-index", "--add", "--cacheinfo", `100644,${blob},${change.path}`], { env });
    const tree = await git(["write-tree"], { env });
    const identity = {
      GIT_AUTHOR_NAME: change.author.name,
      GIT_AUTHOR_EMAIL: change.author.email,
      GIT_COMMITTER_NAME: change.author.name,
      GIT_COMMITTER_EMAIL: change.author.email,
    };
    return await git(["commit-tree", "--no-gpg-sign", tree, "-p", change.parent, "-F", "-"], {
      env: identity,
      input: change.message,
    });
  } finally {
    rmSync(index, { force: true });
  }
}
