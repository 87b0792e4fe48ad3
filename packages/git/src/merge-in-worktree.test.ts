import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AbortError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { mergeInWorktree } from "./merge-in-worktree.js";

repoPerTest();

/** A scratch worktree with `commit` checked out, detached. */
async function scratch(commit: string): Promise<string> {
  const path = repo.tempPath("scratch");
  await git.addWorktree(path, { commit });
  return path;
}

describe("mergeInWorktree", () => {
  it("undoes an earlier commit on top of later work, writing the tree without committing or moving a ref", async () => {
    const culprit = await repo.commit({ "a.txt": "broken\n" }, "break a");
    const later = await repo.commit({ "b.txt": "b\n" }, "add b");
    const path = await scratch(later);

    const outcome = await mergeInWorktree(path, culprit, repo.initial);
    if (outcome.kind !== "clean") throw new Error(`expected a clean merge, got ${JSON.stringify(outcome)}`);
    const revert = await git.commitTree(outcome.tree, [later], "revert", { name: "t", email: "t@t" });
    expect(await git.readFile(revert, "a.txt")).toBe("a\n");
    expect(await git.readFile(revert, "b.txt")).toBe("b\n");
    expect(await repo.sha("main")).toBe(later);
    expect(await git.at(path).revParse("HEAD")).toBe(later);
  });

  it("returns the conflicted files and resets the worktree when later work changed the same lines", async () => {
    const culprit = await repo.commit({ "a.txt": "broken\n" }, "break a");
    const later = await repo.commit({ "a.txt": "broken, then changed\n", "b.txt": "b\n" }, "change a");
    const path = await scratch(later);

    expect(await mergeInWorktree(path, culprit, repo.initial)).toEqual({
      kind: "conflict",
      files: ["a.txt"],
    });
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("broken, then changed\n");
    expect(await git.at(path).status()).toEqual({ clean: true, entries: [] });
  });

  it("rejects with AbortError and starts no merge when the signal has fired", async () => {
    const culprit = await repo.commit({ "a.txt": "broken\n" }, "break a");
    const path = await scratch(culprit);
    const controller = new AbortController();
    controller.abort();
    await expect(
      mergeInWorktree(path, culprit, repo.initial, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("broken\n");
    expect(existsSync(join(path, ".git"))).toBe(true);
  });
});
