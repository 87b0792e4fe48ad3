import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";
import { syncClone } from "./sync-clone.js";

repoPerTest();

describe("syncClone", () => {
  it("clones a bare remote, then follows it, discarding local edits and stray files except the kept ones", async () => {
    const remote = await repo.cloneBare();
    const dir = repo.tempPath("workspace/acme");
    await syncClone(remote, dir, "main", { keep: [".longshot"] });
    const clone = new Git(dir);
    expect(await clone.currentBranch()).toBe("main");
    expect(await clone.revParse("HEAD")).toBe(repo.initial);

    const next = await repo.commit({ "a.txt": "next\n", "b.txt": "b\n" }, "next");
    await repo.git(["push", "--quiet", remote, "main"]);
    await writeFile(join(dir, "a.txt"), "a local edit\n");
    await writeFile(join(dir, "stray.txt"), "left by a crashed run\n");
    await mkdir(join(dir, ".longshot"));
    await writeFile(join(dir, ".longshot", "state.db"), "kept\n");
    await repo.git(["push", "--quiet", remote, `${repo.initial}:refs/heads/gone`]);
    await syncClone(remote, dir, "main", { keep: [".longshot"] });
    await repo.git(["push", "--quiet", remote, ":refs/heads/gone"]);
    expect(await clone.revParse("refs/remotes/origin/gone")).toBe(repo.initial);

    await syncClone(remote, dir, "main", { keep: [".longshot"] });
    expect(await clone.revParse("HEAD")).toBe(next);
    expect(await clone.currentBranch()).toBe("main");
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("next\n");
    expect(existsSync(join(dir, "stray.txt"))).toBe(false);
    expect(await readFile(join(dir, ".longshot", "state.db"), "utf8")).toBe("kept\n");
    expect(await clone.revParse("refs/remotes/origin/gone")).toBeNull();
  });

  it("throws GitCommandError for a remote that is not there or lacks the branch, leaving no clone behind", async () => {
    const dir = repo.tempPath("workspace/missing");
    const error = await syncClone(repo.tempPath("nowhere.git"), dir, "main").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).message).toMatch(/^git clone failed/);
    expect(existsSync(join(dir, ".git"))).toBe(false);
    const remote = await repo.cloneBare();
    await expect(syncClone(remote, dir, "no-such-branch")).rejects.toBeInstanceOf(GitCommandError);
    expect(existsSync(join(dir, ".git"))).toBe(false);
  });
});
