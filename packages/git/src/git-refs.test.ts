import { readFile, rm, writeFile } from "node:fs/promises";
import { AbortError } from "@longshot/core";
import { testIdentity } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError, GitUsageError } from "./errors.js";
import { Git } from "./git.js";
import { ProcessGitRunner } from "./process-git-runner.js";

repoPerTest();

describe("revParse and resolveCommit", () => {
  it("resolves refs to shas and answers null for missing ones", async () => {
    expect(await git.revParse("main")).toBe(repo.initial);
    expect(await git.resolveCommit("refs/heads/main")).toBe(repo.initial);
    expect(await git.revParse("no-such-branch")).toBeNull();
    expect(await git.resolveCommit("HEAD~5")).toBeNull();
  });
});

describe("isRepository", () => {
  it("tells a repository from a plain or missing directory", async () => {
    expect(await git.isRepository()).toBe(true);
    expect(await new Git(repo.tempPath("")).isRepository()).toBe(false);
    expect(await new Git(repo.tempPath("missing")).isRepository()).toBe(false);
  });
});

describe("currentBranch and status", () => {
  it("reports the branch, and null when detached", async () => {
    expect(await git.currentBranch()).toBe("main");
    await repo.git(["checkout", "--quiet", "--detach"]);
    expect(await git.currentBranch()).toBeNull();
  });

  it("reports clean, modified, staged, untracked and renamed files", async () => {
    expect(await git.status()).toEqual({ clean: true, entries: [] });
    await repo.commit({ "b.txt": "b\n" }, "add b");
    await writeFile(`${repo.path}/a.txt`, "changed\n");
    await writeFile(`${repo.path}/new dir file.txt`, "x\n");
    await repo.git(["mv", "b.txt", "c.txt"]);
    const status = await git.status();
    expect(status.clean).toBe(false);
    expect(status.entries).toEqual(
      expect.arrayContaining([
        { index: " ", worktree: "M", path: "a.txt" },
        { index: "?", worktree: "?", path: "new dir file.txt" },
        { index: "R", worktree: " ", path: "c.txt", from: "b.txt" },
      ]),
    );
  });
});

describe("branches", () => {
  it("creates at a commit, lists by prefix and deletes", async () => {
    const second = await repo.commit({ "b.txt": "b\n" }, "second");
    await git.createBranch("longshot/r1/t0001", repo.initial);
    await git.createBranch("longshot/r1/t0002", second);
    await git.createBranch("longshot/r2/t0001", second);
    expect(await git.listBranches("longshot/r1/")).toEqual([
      { name: "longshot/r1/t0001", sha: repo.initial },
      { name: "longshot/r1/t0002", sha: second },
    ]);
    await expect(git.createBranch("longshot/r1/t0001", second)).rejects.toThrow(GitCommandError);
    await git.createBranch("longshot/r1/t0001", second, { force: true });
    expect(await git.revParse("longshot/r1/t0001")).toBe(second);
    await git.deleteBranch("longshot/r1/t0001");
    expect((await git.listBranches("longshot/")).map((branch) => branch.name)).toEqual([
      "longshot/r1/t0002",
      "longshot/r2/t0001",
    ]);
  });
});

describe("commitAll", () => {
  it("commits every change with the given identity, and returns null when nothing changed", async () => {
    expect(await git.commitAll("nothing", testIdentity)).toBeNull();
    await writeFile(`${repo.path}/new.txt`, "new\n");
    await rm(`${repo.path}/a.txt`);
    const author = { name: "Task Worker", email: "worker@longshot.invalid" };
    const committer = { name: "Longshot", email: "bot@longshot.invalid" };
    const sha = await git.commitAll("task work\n\nbody", author, {
      committer,
      date: new Date("2024-05-01T12:00:00Z"),
    });
    expect(sha).toBe(await repo.sha());
    const info = await git.showCommit(sha ?? "");
    expect(info).toMatchObject({
      parents: [repo.initial],
      author,
      committer,
      subject: "task work",
      message: "task work\n\nbody",
      authorDate: "2024-05-01T12:00:00+00:00",
    });
    expect(await git.listFiles("HEAD")).toEqual(["new.txt"]);
    expect((await git.status()).clean).toBe(true);
  });
});

describe("commitTree and updateRef", () => {
  it("creates a commit from a tree without moving any ref", async () => {
    const tree = (await git.revParse("HEAD^{tree}")) ?? "";
    const date = new Date("2024-01-01T00:00:00Z");
    const sha = await git.commitTree(tree, [repo.initial], "replayed", testIdentity, { date });
    const again = await git.commitTree(tree, [repo.initial], "replayed", testIdentity, { date });
    expect(again).toBe(sha);
    expect(await git.revParse("main")).toBe(repo.initial);
    expect(await git.showCommit(sha)).toMatchObject({ tree, parents: [repo.initial], subject: "replayed" });
  });

  it("moves a ref only from the expected value and reports the actual one otherwise", async () => {
    const tree = (await git.revParse("HEAD^{tree}")) ?? "";
    const one = await git.commitTree(tree, [repo.initial], "one", testIdentity);
    const two = await git.commitTree(tree, [repo.initial], "two", testIdentity);
    expect(await git.updateRef("refs/heads/integration", one, null)).toEqual({ ok: true });
    expect(await git.updateRef("refs/heads/integration", two, null)).toEqual({ ok: false, actual: one });
    expect(await git.updateRef("refs/heads/integration", two, repo.initial)).toEqual({
      ok: false,
      actual: one,
    });
    expect(await git.revParse("integration")).toBe(one);
    expect(await git.updateRef("refs/heads/integration", two, one)).toEqual({ ok: true });
    expect(await git.revParse("integration")).toBe(two);
    expect(await git.updateRef("refs/heads/gone", two, one)).toEqual({ ok: false, actual: null });
  });

  it("refuses a ref name outside refs/", async () => {
    await expect(git.updateRef("integration", repo.initial, null)).rejects.toThrow(GitUsageError);
  });

  it("throws a GitCommandError carrying command, exit code and stderr for a bad object", async () => {
    const error = await git.updateRef("refs/heads/x", "not-a-sha", null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitCommandError);
    const fields = (error as GitCommandError).fields;
    expect(fields.command).toContain("git update-ref");
    expect(fields.exitCode).toBe(128);
    expect(String(fields.stderr)).toMatch(/not-a-sha/);
  });
});

describe("reading revisions", () => {
  it("reads files, lists files and logs between revisions", async () => {
    const second = await repo.commit({ "dir/b.txt": "b\n" }, "second");
    const third = await repo.commit({ "a.txt": "a2\n" }, "third");
    expect(await git.readFile(second, "a.txt")).toBe("a\n");
    expect(await git.readFile(third, "a.txt")).toBe("a2\n");
    expect(await git.readFile(third, "missing.txt")).toBeNull();
    await expect(git.readFile("no-such-rev", "a.txt")).rejects.toThrow(GitCommandError);
    expect(await git.listFiles(third)).toEqual(["a.txt", "dir/b.txt"]);
    expect(await git.log(repo.initial, third)).toEqual([
      { sha: third, parents: [second], subject: "third" },
      { sha: second, parents: [repo.initial], subject: "second" },
    ]);
    expect((await git.log(null, third)).map((entry) => entry.subject)).toEqual([
      "third",
      "second",
      "initial",
    ]);
    expect(await git.showCommit("no-such-rev")).toBeNull();
  });

  it("reads many commits with one call, answering null for revisions that name no commit", async () => {
    const second = await repo.commit({ "b.txt": "b\n" }, "second\n\nwith a body");
    const tree = (await git.revParse("HEAD^{tree}")) ?? "";
    const missing = "1".repeat(40);
    const found = await git.showCommits([second, repo.initial, missing, tree, "main", "nope"]);
    expect(found.get(second)).toMatchObject({
      sha: second,
      parents: [repo.initial],
      message: "second\n\nwith a body",
    });
    expect(found.get(repo.initial)).toMatchObject({ sha: repo.initial, parents: [], subject: "initial" });
    expect(found.get("main")?.sha).toBe(second);
    expect(found.get(missing)).toBeNull();
    expect(found.get(tree)).toBeNull();
    expect(found.get("nope")).toBeNull();
    expect(found.get(second)).toEqual(await git.showCommit(second));
  });

  it("answers merge-base and ancestry questions", async () => {
    const second = await repo.commit({ "b.txt": "b\n" }, "second");
    expect(await git.mergeBase(second, repo.initial)).toBe(repo.initial);
    expect(await git.isAncestor(repo.initial, second)).toBe(true);
    expect(await git.isAncestor(second, repo.initial)).toBe(false);
    await repo.git(["checkout", "--quiet", "--orphan", "unrelated"]);
    await repo.git(["rm", "-rq", "--cached", "."]);
    const orphan = await repo.commit({ "z.txt": "z\n" }, "orphan");
    expect(await git.mergeBase(orphan, second)).toBeNull();
  });
});

describe("cancellation", () => {
  it("rejects with AbortError before running when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(git.revParse("main", { signal: controller.signal })).rejects.toThrow(AbortError);
  });

  it("kills a running git and everything it started when the signal fires", async () => {
    const controller = new AbortController();
    const pidFile = repo.tempPath("sleeper.pid");
    const runner = new ProcessGitRunner();
    const pending = runner.run({
      args: ["-c", `alias.wait=!sh -c 'echo $$ > ${pidFile}; exec sleep 120'`, "wait"],
      cwd: repo.path,
      signal: controller.signal,
    });
    const pid = await waitForPid(pidFile);
    controller.abort();
    await expect(pending).rejects.toThrow(AbortError);
    await expect.poll(() => isAlive(pid)).toBe(false);
  });
});

async function waitForPid(file: string): Promise<number> {
  for (;;) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (text.trim() !== "") return Number(text.trim());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Running or sleeping; a killed process left as a zombie for lack of a reaping init counts as dead. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return stat !== "" && state !== "Z" && state !== "X";
}
