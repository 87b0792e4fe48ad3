import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git } from "./git.js";

let repo: TempRepo;
let git: Git;

beforeEach(async () => {
  repo = await createTempRepo({
    files: {
      "keep.txt": "one\ntwo\nthree\n",
      "old-name.txt": "same content here\nline 2\nline 3\n",
      "gone.txt": "x\n",
    },
  });
  git = new Git(repo.path);
});
afterEach(() => repo.cleanup());

async function change(): Promise<string> {
  await repo.git(["mv", "old-name.txt", "new-name.txt"]);
  return repo.commit(
    { "keep.txt": "one\nTWO\nthree\nfour\n", "gone.txt": null, "added.txt": "a\nb\n" },
    "change",
  );
}

describe("diff", () => {
  it("gives the unified diff between two commits", async () => {
    const to = await change();
    const patch = await git.diff(repo.initial, to);
    expect(patch).toContain("diff --git a/keep.txt b/keep.txt");
    expect(patch).toContain("-two\n+TWO\n");
    expect(patch).toContain("rename from old-name.txt\nrename to new-name.txt");
  });

  it("limits the diff and the log to the paths asked for", async () => {
    const to = await change();
    const other = await repo.commit({ "added.txt": "a\nb\nc\n" }, "only added.txt");
    const patch = await git.diff(repo.initial, other, { paths: ["keep.txt"] });
    expect(patch).toContain("diff --git a/keep.txt b/keep.txt");
    expect(patch).not.toContain("added.txt");
    expect((await git.log(repo.initial, other, { paths: ["keep.txt"] })).map((entry) => entry.sha)).toEqual([
      to,
    ]);
    expect((await git.log(repo.initial, other)).map((entry) => entry.sha)).toEqual([other, to]);
  });

  it("lists changed paths with their status, renames included", async () => {
    const to = await change();
    expect(await git.diffNameStatus(repo.initial, to)).toEqual([
      { status: "A", path: "added.txt" },
      { status: "D", path: "gone.txt" },
      { status: "M", path: "keep.txt" },
      { status: "R", path: "new-name.txt", from: "old-name.txt" },
    ]);
  });

  it("counts files, insertions and deletions", async () => {
    const to = await change();
    const stats = await git.diffStats(repo.initial, to);
    expect(stats).toMatchObject({ files: 4, insertions: 4, deletions: 2 });
    expect(stats.entries).toContainEqual({
      path: "new-name.txt",
      from: "old-name.txt",
      insertions: 0,
      deletions: 0,
      binary: false,
    });
    expect(await git.diffStats(to, to)).toEqual({ files: 0, insertions: 0, deletions: 0, entries: [] });
  });

  it("sizes every added or changed file from the object store, leaving deletions out", async () => {
    const to = await change();
    expect(await git.changedFileSizes(repo.initial, to)).toEqual([
      { path: "added.txt", bytes: 4 },
      { path: "keep.txt", bytes: 19 },
      { path: "new-name.txt", bytes: 32 },
    ]);
    expect(await git.changedFileSizes(to, to)).toEqual([]);
  });
});
