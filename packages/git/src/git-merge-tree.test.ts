import { createTempRepo, type TempRepo, testIdentity } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";

let repo: TempRepo;
let git: Git;

beforeEach(async () => {
  repo = await createTempRepo({ files: { "shared.txt": "1\n2\n3\n", "other.txt": "o\n" } });
  git = new Git(repo.path);
});
afterEach(() => repo.cleanup());

async function branchWith(name: string, files: Record<string, string | null>): Promise<string> {
  await repo.git(["checkout", "--quiet", "-b", name, repo.initial]);
  const sha = await repo.commit(files, name);
  await repo.git(["checkout", "--quiet", "main"]);
  return sha;
}

describe("mergeTree", () => {
  it("merges cleanly without a working tree and yields the merged tree", async () => {
    const ours = await branchWith("ours", { "shared.txt": "ONE\n2\n3\n" });
    const theirs = await branchWith("theirs", { "shared.txt": "1\n2\nTHREE\n", "new.txt": "n\n" });
    const outcome = await git.mergeTree(ours, theirs);
    expect(outcome.kind).toBe("clean");
    expect(await git.readFile(outcome.tree, "shared.txt")).toBe("ONE\n2\nTHREE\n");
    expect(await git.listFiles(outcome.tree)).toEqual(["new.txt", "other.txt", "shared.txt"]);
    expect((await git.status()).clean).toBe(true);
    const merged = await git.commitTree(outcome.tree, [ours, theirs], "merge", testIdentity);
    expect((await git.showCommit(merged))?.parents).toEqual([ours, theirs]);
  });

  it("reports a conflict with the conflicted files and a tree holding the markers", async () => {
    const ours = await branchWith("ours", { "shared.txt": "1\nours\n3\n", "other.txt": "ours\n" });
    const theirs = await branchWith("theirs", {
      "shared.txt": "1\ntheirs\n3\n",
      "other.txt": "theirs\n",
      "x.txt": "x",
    });
    const outcome = await git.mergeTree(ours, theirs);
    if (outcome.kind !== "conflict") throw new Error("expected a conflict");
    expect(outcome.files).toEqual(["other.txt", "shared.txt"]);
    const content = await git.readFile(outcome.tree, "shared.txt");
    expect(content).toContain("<<<<<<< ");
    expect(content).toContain("ours\n=======\ntheirs\n");
    expect(outcome.messages).toBeUndefined();
    const withMessages = await git.mergeTree(ours, theirs, { messages: true });
    expect(withMessages.kind === "conflict" && withMessages.messages).toMatch(
      /CONFLICT \(content\): Merge conflict in shared\.txt/,
    );
    expect(await git.revParse("main")).toBe(repo.initial);
  });

  it("names the files both sides changed that git merged as text, when asked for messages", async () => {
    const ours = await branchWith("ours", { "shared.txt": "ONE\n2\n3\n", "other.txt": "ours\n" });
    const theirs = await branchWith("theirs", { "shared.txt": "1\n2\nTHREE\n", "new.txt": "n\n" });
    expect(await git.mergeTree(ours, theirs, { messages: true })).toEqual({
      kind: "clean",
      tree: expect.any(String),
      autoMerged: ["shared.txt"],
    });
    expect(await git.mergeTree(ours, theirs)).toEqual({ kind: "clean", tree: expect.any(String) });
    const clash = await branchWith("clash", { "shared.txt": "1\n2\nthree\n", "other.txt": "theirs\n" });
    const conflict = await git.mergeTree(theirs, clash, { messages: true });
    expect(conflict).toMatchObject({ kind: "conflict", files: ["shared.txt"], autoMerged: ["shared.txt"] });
  });

  it("reports a modify/delete conflict", async () => {
    const ours = await branchWith("ours", { "other.txt": null });
    const theirs = await branchWith("theirs", { "other.txt": "changed\n" });
    const outcome = await git.mergeTree(ours, theirs);
    expect(outcome).toMatchObject({ kind: "conflict", files: ["other.txt"] });
  });

  it("throws for a revision that does not exist instead of calling it a conflict", async () => {
    await expect(git.mergeTree("main", "no-such-branch")).rejects.toThrow(GitCommandError);
  });

  it("refuses unrelated histories", async () => {
    await repo.git(["checkout", "--quiet", "--orphan", "unrelated"]);
    await repo.git(["rm", "-rq", "--cached", "."]);
    const orphan = await repo.commit({ "z.txt": "z\n" }, "orphan");
    await expect(git.mergeTree(repo.initial, orphan)).rejects.toThrow(/unrelated histories/);
  });

  it("uses an explicit merge base only where git supports it", async () => {
    const ours = await branchWith("ours", { "a.txt": "a\n" });
    const theirs = await branchWith("theirs", { "b.txt": "b\n" });
    const version = await git.version();
    const attempt = git.mergeTree(ours, theirs, { mergeBase: repo.initial });
    if (version.capabilities.mergeTreeMergeBase) {
      expect((await attempt).kind).toBe("clean");
    } else {
      await expect(attempt).rejects.toThrow(/needs git 2\.40 or newer/);
    }
  });
});
