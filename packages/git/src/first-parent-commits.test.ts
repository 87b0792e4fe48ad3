import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError } from "./errors.js";
import { firstParentCommits } from "./first-parent-commits.js";

repoPerTest();

const identity = { name: "t", email: "t@t" };

describe("firstParentCommits", () => {
  it("lists one commit per landing on the branch's own line, oldest first, skipping the merged branches' commits", async () => {
    const first = await repo.commit({ "b.txt": "b\n" }, "land b");
    await repo.git(["checkout", "--quiet", "-b", "task", repo.initial]);
    const taskOne = await repo.commit({ "c.txt": "c\n" }, "task: c");
    await repo.commit({ "d.txt": "d\n" }, "task: d");
    await repo.git(["checkout", "--quiet", "main"]);
    const merged = await git.mergeTree(first, "task");
    if (merged.kind !== "clean") throw new Error("the fixture's merge should be clean");
    const landing = await git.commitTree(merged.tree, [first, await repo.sha("task")], "land task", identity);
    await repo.git(["update-ref", "refs/heads/main", landing]);
    const last = await repo.commit({ "e.txt": "e\n" }, "land e");

    const line = await firstParentCommits(repo.path, repo.initial, "main");
    expect(line).toEqual([first, landing, last]);
    expect(line).not.toContain(taskOne);
    expect(await firstParentCommits(repo.path, landing, last)).toEqual([last]);
  });

  it("is empty when the end adds nothing after the start", async () => {
    const next = await repo.commit({ "b.txt": "b\n" }, "b");
    expect(await firstParentCommits(repo.path, next, next)).toEqual([]);
    expect(await firstParentCommits(repo.path, next, repo.initial)).toEqual([]);
  });

  it("throws GitCommandError naming rev-list for a revision that names nothing", async () => {
    const missing = firstParentCommits(repo.path, repo.initial, "no-such-branch");
    await expect(missing).rejects.toBeInstanceOf(GitCommandError);
    await expect(firstParentCommits(repo.path, repo.initial, "no-such-branch")).rejects.toThrow(
      /git rev-list failed/,
    );
  });
});
