import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";
import { initRepository } from "./init-repository.js";
import { listWorkingFiles } from "./list-working-files.js";
import { recentCommits } from "./recent-commits.js";

repoPerTest();

describe("initRepository", () => {
  it("creates the directory and an empty repository, bare or with a working tree, on the branch asked for", async () => {
    const path = repo.tempPath("fresh/nested");
    await initRepository(path, { initialBranch: "trunk" });
    const fresh = new Git(path);
    expect(await fresh.isRepository()).toBe(true);
    expect(await fresh.currentBranch()).toBe("trunk");
    expect(await fresh.revParse("HEAD")).toBeNull();

    const bare = repo.tempPath("bare.git");
    await initRepository(bare, { bare: true });
    expect((await new Git(bare).listWorktrees())[0]?.bare).toBe(true);
  });

  it("throws GitCommandError when git refuses the branch name", async () => {
    await expect(initRepository(repo.tempPath("bad"), { initialBranch: "no..dots" })).rejects.toBeInstanceOf(
      GitCommandError,
    );
  });
});

describe("listWorkingFiles", () => {
  it("lists tracked and untracked files once each, leaving out ignored ones", async () => {
    await repo.commit({ ".gitignore": "dist/\n", "src/x.ts": "x\n" }, "files");
    await mkdir(join(repo.path, "dist"));
    await writeFile(join(repo.path, "dist", "out.js"), "built\n");
    await writeFile(join(repo.path, "new file.txt"), "untracked\n");
    await writeFile(join(repo.path, "a.txt"), "changed\n");
    expect((await listWorkingFiles(repo.path)).sort()).toEqual([
      ".gitignore",
      "a.txt",
      "new file.txt",
      "src/x.ts",
    ]);
  });

  it("lists a conflicted file once", async () => {
    await repo.git(["checkout", "--quiet", "-b", "side"]);
    await repo.commit({ "a.txt": "side\n" }, "side");
    await repo.git(["checkout", "--quiet", "main"]);
    await repo.commit({ "a.txt": "main\n" }, "main");
    await repo.tryGit(["merge", "--quiet", "side"]);
    expect((await git.status()).entries.map((entry) => entry.index + entry.worktree)).toEqual(["UU"]);
    expect(await listWorkingFiles(repo.path)).toEqual(["a.txt"]);
  });
});

describe("recentCommits", () => {
  it("gives the newest commits first with author, date and subject, no more than asked", async () => {
    const second = await repo.commit({ "b.txt": "b\n" }, "second\n\nwith a body");
    const third = await repo.commit({ "c.txt": "c\n" }, "third");
    const commits = await recentCommits(repo.path, "HEAD", { limit: 2 });
    expect(commits.map((commit) => [commit.sha, commit.subject])).toEqual([
      [third, "third"],
      [second, "second"],
    ]);
    expect(commits[1]?.message).toBe("second\n\nwith a body");
    expect(commits[0]?.author.name).toBe("Longshot Test");
    expect(Number.isNaN(Date.parse(commits[0]?.authorDate ?? ""))).toBe(false);
    expect((await recentCommits(repo.path, "main", { limit: 10 })).map((commit) => commit.sha)).toEqual([
      third,
      second,
      repo.initial,
    ]);
  });

  it("throws GitCommandError on an unborn branch", async () => {
    const empty = repo.tempPath("empty");
    await initRepository(empty);
    await expect(recentCommits(empty, "HEAD", { limit: 5 })).rejects.toBeInstanceOf(GitCommandError);
  });
});
