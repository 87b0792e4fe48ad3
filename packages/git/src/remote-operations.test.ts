import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EchoingGitServer,
  RecordingRunner,
  startEchoingGitServer,
} from "./__fixtures__/echoing-git-server.js";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError, MissingRemoteError } from "./errors.js";
import { fetchBranch } from "./fetch-branch.js";
import { pushRef } from "./push-ref.js";
import { remoteUrl } from "./remote-url.js";

repoPerTest();

const token = "ghs_remoteOpsToken0123456789";
const credential = Buffer.from(`x-access-token:${token}`).toString("base64");

let server: EchoingGitServer;
beforeEach(async () => {
  server = await startEchoingGitServer();
});
afterEach(() => server.close());

/**
 * Whatever a user, a log or another local user could see of the call: the failure's message,
 * fields and stderr, every argument git was started with, and the repository's config.
 */
async function seen(error: unknown, runner: RecordingRunner): Promise<string> {
  const failure = error as GitCommandError;
  return [
    JSON.stringify({ message: failure.message, fields: failure.fields, stderr: failure.stderr }),
    ...runner.requests.map((request) => request.args.join(" ")),
    await readFile(join(repo.path, ".git", "config"), "utf8"),
  ].join("\n");
}

describe("remoteUrl", () => {
  it("reads a remote's fetch and push URLs, and is null for a remote the repository lacks", async () => {
    await repo.git(["remote", "add", "origin", "https://example.invalid/acme/widgets.git"]);
    await repo.git([
      "remote",
      "set-url",
      "--push",
      "origin",
      "https://push.example.invalid/acme/widgets.git",
    ]);
    expect(await remoteUrl(repo.path, "origin")).toBe("https://example.invalid/acme/widgets.git");
    expect(await remoteUrl(repo.path, "origin", { push: true })).toBe(
      "https://push.example.invalid/acme/widgets.git",
    );
    expect(await remoteUrl(repo.path, "upstream")).toBeNull();
  });

  it("throws GitCommandError outside a repository", async () => {
    await expect(remoteUrl(repo.tempPath(""), "origin")).rejects.toBeInstanceOf(GitCommandError);
  });
});

describe("pushRef", () => {
  it("pushes to a local bare remote, refusing a non-fast-forward unless forced and a stale lease", async () => {
    const remote = await repo.cloneBare();
    await repo.git(["remote", "add", "origin", remote]);
    const one = await repo.commit({ "a.txt": "one\n" }, "one");
    expect(await pushRef(repo.path, "origin", one, "refs/heads/work", { token })).toEqual({ ok: true });

    await repo.git(["checkout", "--quiet", "-b", "other", repo.initial]);
    const other = await repo.commit({ "b.txt": "b\n" }, "other");
    const refused = await pushRef(repo.path, "origin", other, "refs/heads/work");
    expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/fast-forward|fetch first/) });
    const stale = await pushRef(repo.path, remote, other, "refs/heads/work", { expected: repo.initial });
    expect(stale.ok).toBe(false);
    expect(await git.lsRemote(remote, "refs/heads/work")).toBe(one);

    expect(await pushRef(repo.path, "origin", other, "refs/heads/work", { force: true })).toEqual({
      ok: true,
    });
    expect(await git.lsRemote(remote, "refs/heads/work")).toBe(other);
  });

  it("gives an http remote the token only in git's environment and keeps it out of argv, config and errors", async () => {
    await repo.git(["remote", "add", "origin", server.url]);
    // What actions/checkout leaves behind: a persisted header, which must not be sent as well.
    await repo.git(["config", `http.${server.url}.extraheader`, "AUTHORIZATION: basic c3RhbGU6c3RhbGU="]);
    const runner = new RecordingRunner();
    const error = await pushRef(repo.path, "origin", "main", "refs/heads/main", { token, runner }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(GitCommandError);
    expect(server.authorizations).toEqual([`basic ${credential}`]);
    const exposed = await seen(error, runner);
    // The server quoted both back; the error says so without them.
    expect(exposed).toContain("remote error: refused basic [redacted] (x-access-token:[redacted])");
    expect(exposed).not.toContain(token);
    expect(exposed).not.toContain(credential);
    expect(exposed.toLowerCase()).toContain("extraheader = authorization: basic c3rhbgu6c3rhbgu=");
    const push = runner.requests.find((request) => request.args[0] === "push");
    expect(push?.env).toMatchObject({ GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_COUNT: "2" });
  });

  it("sends no header without a token, nor to a URL that carries its own credentials", async () => {
    await pushRef(repo.path, server.url, "main", "refs/heads/main").catch(() => undefined);
    const withUser = server.url.replace("http://", "http://someone:secret@");
    await pushRef(repo.path, withUser, "main", "refs/heads/main", { token }).catch(() => undefined);
    expect(server.authorizations.filter((header) => header.includes(credential))).toEqual([]);
  });

  it("names the fix for a token given with a remote name the repository lacks", async () => {
    const error = await pushRef(repo.path, "upstream", "main", "refs/heads/main", { token }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingRemoteError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /no git remote named "upstream"; add it with `git remote add upstream/,
    );
  });
});

describe("fetchBranch", () => {
  it("mirrors a branch of the remote into a ref and returns its commit; null when the remote lacks it", async () => {
    const remote = await repo.cloneBare();
    await repo.git(["remote", "add", "origin", remote]);
    const local = await repo.commit({ "a.txt": "local\n" }, "local only");
    expect(await fetchBranch(repo.path, "origin", "main", "refs/remotes/origin/main", { token })).toBe(
      repo.initial,
    );
    expect(await git.revParse("refs/remotes/origin/main")).toBe(repo.initial);
    expect(await git.revParse("main")).toBe(local);

    await repo.git(["push", "--quiet", remote, `${local}:refs/heads/main`]);
    expect(await fetchBranch(repo.path, remote, "main", "refs/remotes/origin/main")).toBe(local);
    // Rewound on the remote: the mirror follows, whatever it held.
    await repo.git(["push", "--quiet", "--force", remote, `${repo.initial}:refs/heads/main`]);
    expect(await fetchBranch(repo.path, remote, "main", "refs/remotes/origin/main")).toBe(repo.initial);
    expect(await fetchBranch(repo.path, "origin", "missing", "refs/remotes/origin/missing")).toBeNull();
    expect(await git.revParse("refs/remotes/origin/missing")).toBeNull();
  });

  it("fails with GitCommandError that does not hold the token when the remote refuses", async () => {
    await repo.git(["remote", "add", "origin", server.url]);
    const runner = new RecordingRunner();
    const error = await fetchBranch(repo.path, "origin", "main", "refs/remotes/origin/main", {
      token,
      runner,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitCommandError);
    expect(server.authorizations).toEqual([`basic ${credential}`]);
    const exposed = await seen(error, runner);
    expect(exposed).toContain("fatal: remote error: refused basic [redacted]");
    expect([exposed.includes(token), exposed.includes(credential)]).toEqual([false, false]);
  });
});
