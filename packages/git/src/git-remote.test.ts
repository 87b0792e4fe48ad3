import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runGit, testIdentity } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";

repoPerTest();

describe("bundles", () => {
  it("carries a task branch to another clone and back", async () => {
    const sandboxPath = repo.tempPath("sandbox");
    await repo.git(["clone", "--quiet", repo.path, sandboxPath]);
    const sandbox = new Git(sandboxPath);
    await sandbox.createBranch("task", "HEAD");
    await runGit(sandboxPath, ["checkout", "--quiet", "task"]);
    await writeFile(join(sandboxPath, "work.txt"), "done\n");
    const sha = await sandbox.commitAll("task work", testIdentity);

    const bundle = repo.tempPath("task.bundle");
    await sandbox.bundleCreate(bundle, [`${repo.initial}..refs/heads/task`]);
    await git.fetchBundle(bundle, ["+refs/heads/task:refs/heads/longshot/r1/t0001"]);
    expect(await git.revParse("longshot/r1/t0001")).toBe(sha);
    expect(await git.readFile("longshot/r1/t0001", "work.txt")).toBe("done\n");
  });

  it("refuses to create an empty bundle", async () => {
    await expect(git.bundleCreate(repo.tempPath("empty.bundle"), ["main..main"])).rejects.toThrow(
      GitCommandError,
    );
  });
});

describe("push with lease", () => {
  it("pushes only while the remote still has the expected value", async () => {
    const remote = await repo.cloneBare();
    const one = await repo.commit({ "a.txt": "one\n" }, "one");
    expect(await git.push(remote, one, "refs/heads/main", { expected: repo.initial })).toEqual({ ok: true });
    expect(await git.lsRemote(remote, "refs/heads/main")).toBe(one);

    const two = await repo.commit({ "a.txt": "two\n" }, "two");
    const stale = await git.push(remote, two, "refs/heads/main", { expected: repo.initial });
    expect(stale.ok).toBe(false);
    expect(await git.lsRemote(remote, "refs/heads/main")).toBe(one);

    expect(await git.push(remote, two, "refs/heads/new", { expected: null })).toEqual({ ok: true });
    expect((await git.push(remote, one, "refs/heads/new", { expected: null })).ok).toBe(false);
    expect(await git.lsRemote(remote, "refs/heads/missing")).toBeNull();
  });

  it("reports a push a server hook declines as a rejection", async () => {
    const remote = await repo.cloneBare();
    const hook = join(remote, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'no pushes today' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const one = await repo.commit({ "a.txt": "one\n" }, "one");
    const outcome = await git.push(remote, one, "refs/heads/main", { expected: repo.initial });
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/hook declined/) });
  });

  it("throws when the remote cannot be reached", async () => {
    await expect(git.push(repo.tempPath("nowhere.git"), "main", "refs/heads/main")).rejects.toThrow(
      GitCommandError,
    );
  });

  it("fetches a remote branch into a local ref", async () => {
    const remote = await repo.cloneBare();
    const other = new Git(remote);
    expect(await other.revParse("main")).toBe(repo.initial);
    await repo.commit({ "b.txt": "b\n" }, "local only");
    await git.fetch(remote, ["+refs/heads/main:refs/remotes/origin/main"]);
    expect(await git.revParse("refs/remotes/origin/main")).toBe(repo.initial);
  });
});

describe("fastForward", () => {
  it("fast-forwards the checked-out branch and its files, and refuses to overwrite local changes", async () => {
    await repo.git(["checkout", "--quiet", "-b", "ahead"]);
    const ahead = await repo.commit({ "a.txt": "ahead\n" }, "ahead");
    await repo.git(["checkout", "--quiet", "main"]);
    expect(await git.fastForward(ahead)).toEqual({ ok: true });
    expect(await repo.sha()).toBe(ahead);
    expect(await readFile(join(repo.path, "a.txt"), "utf8")).toBe("ahead\n");

    await repo.git(["checkout", "--quiet", "-b", "side", ahead]);
    const further = await repo.commit({ "a.txt": "side\n" }, "side");
    await repo.git(["checkout", "--quiet", "main"]);
    await writeFile(join(repo.path, "a.txt"), "local edit\n");
    const refused = await git.fastForward(further);
    expect(refused.ok).toBe(false);
    expect(await repo.sha()).toBe(ahead);
    expect(await readFile(join(repo.path, "a.txt"), "utf8")).toBe("local edit\n");
  });
});
