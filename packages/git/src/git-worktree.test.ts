import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";

repoPerTest();

describe("worktrees", () => {
  it("adds detached and branch worktrees at a commit, lists, removes and prunes them", async () => {
    const second = await repo.commit({ "b.txt": "b\n" }, "second");
    const detached = repo.tempPath("detached");
    const onBranch = repo.tempPath("on-branch");
    await git.addWorktree(detached, { commit: repo.initial });
    await git.addWorktree(onBranch, { commit: second, branch: "longshot/r1/t0001" });

    const worktrees = await git.listWorktrees();
    expect(
      worktrees.map((worktree) => [worktree.path, worktree.head, worktree.branch, worktree.detached]),
    ).toEqual([
      [repo.path, second, "refs/heads/main", false],
      [detached, repo.initial, null, true],
      [onBranch, second, "refs/heads/longshot/r1/t0001", false],
    ]);
    expect(await git.at(detached).listFiles("HEAD")).toEqual(["a.txt"]);
    expect(await git.at(onBranch).currentBranch()).toBe("longshot/r1/t0001");

    await repo.commit({}, "unrelated");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${detached}/dirty.txt`, "uncommitted\n");
    await git.removeWorktree(detached);
    await rm(onBranch, { recursive: true });
    expect((await git.listWorktrees()).find((worktree) => worktree.path === onBranch)?.prunable).toBe(true);
    await git.pruneWorktrees();
    expect((await git.listWorktrees()).map((worktree) => worktree.path)).toEqual([repo.path]);
  });

  it("commits inside a worktree onto its branch", async () => {
    const path = repo.tempPath("task");
    await git.addWorktree(path, { commit: repo.initial, branch: "task" });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${path}/work.txt`, "done\n");
    const sha = await git.at(path).commitAll("work", { name: "W", email: "w@example.invalid" });
    expect(await git.revParse("task")).toBe(sha);
    expect(await git.revParse("main")).toBe(repo.initial);
  });

  it("adds and removes many worktrees of one repository at once, each checked out in full", async () => {
    // git reads every registered worktree while it adds one; concurrent adds used to fail with
    // "failed to read worktrees/<name>/commondir" and a prune could drop a half-made one.
    const files = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`f${index}.txt`, `${index}\n`]),
    );
    const base = await repo.commit(files, "many files");
    const paths = Array.from({ length: 12 }, (_, index) => repo.tempPath(`many-${index}`));
    await Promise.all(
      paths.map((path, index) =>
        index % 3 === 0
          ? git.pruneWorktrees().then(() => git.addWorktree(path, { commit: base }))
          : git.addWorktree(path, { commit: base, branch: `many/${index}` }),
      ),
    );
    for (const path of paths) {
      expect(await git.at(path).status()).toEqual({ clean: true, entries: [] });
      expect(await git.at(path).revParse("HEAD")).toBe(base);
    }
    await Promise.all(paths.slice(0, 6).map((path) => git.removeWorktree(path)));
    await git.addWorktree(repo.tempPath("existing"), { commit: "ignored", onBranch: "many/1" });
    expect(await git.at(repo.tempPath("existing")).currentBranch()).toBe("many/1");
    expect(await git.at(repo.tempPath("existing")).status()).toEqual({ clean: true, entries: [] });
    expect((await git.listWorktrees()).map((worktree) => worktree.path).sort()).toEqual(
      [repo.path, ...paths.slice(6), repo.tempPath("existing")].sort(),
    );
  });

  it("leaves nothing registered when the checkout of a new worktree fails", async () => {
    const path = repo.tempPath("no-checkout");
    await expect(git.addWorktree(path, { commit: "0".repeat(40) })).rejects.toThrow(/git worktree failed/);
    expect((await git.listWorktrees()).map((worktree) => worktree.path)).toEqual([repo.path]);
  });
});
