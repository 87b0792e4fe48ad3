import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createTempRepo, type TempRepo, testIdentity } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";
import type { GitRunner } from "./git-runner.js";
import { ProcessGitRunner } from "./process-git-runner.js";

let repo: TempRepo;
let git: Git;
let tree: string;

beforeEach(async () => {
  repo = await createTempRepo({ files: { "a.txt": "a\n" } });
  git = new Git(repo.path);
  tree = (await git.revParse("HEAD^{tree}")) ?? "";
});
afterEach(() => repo.cleanup());

const date = new Date("2024-03-01T10:00:00Z");
const author = { name: "Task Worker", email: "worker@longshot.invalid" };

describe("openCommitWriter", () => {
  it("writes through one long-lived git the same commits commit-tree writes", async () => {
    const writer = await git.openCommitWriter();
    const message = "squash: ünïcode subject\n\nbody\n\nLongshot-Task: t0001\n";
    const first = await writer.write({
      tree,
      parents: [repo.initial],
      message,
      author,
      committer: testIdentity,
      date,
    });
    const second = await writer.write({
      tree,
      parents: [first, repo.initial],
      message: "merge",
      author,
      date,
    });
    await writer.close();
    expect(first).toBe(
      await git.commitTree(tree, [repo.initial], message, author, { committer: testIdentity, date }),
    );
    expect(await git.showCommit(second)).toMatchObject({
      parents: [first, repo.initial],
      author,
      committer: author,
    });
    expect(await git.showCommit(first)).toMatchObject({
      message: message.trimEnd(),
      committer: testIdentity,
    });
    const gitDir = join(repo.path, ".git");
    expect((await readdir(gitDir)).filter((name) => name.startsWith("longshot-scratch"))).toEqual([]);
  });

  it("falls back to commit-tree when the runner has no sessions", async () => {
    const real = new ProcessGitRunner();
    const runner: GitRunner = { run: (request) => real.run(request) };
    const writer = await new Git(repo.path, { runner }).openCommitWriter();
    const sha = await writer.write({ tree, parents: [repo.initial], message: "m", author, date });
    await writer.close();
    expect(sha).toBe(await git.commitTree(tree, [repo.initial], "m", author, { date }));
  });

  it("rejects a malformed commit with git's complaint, and stays failed", async () => {
    const writer = await git.openCommitWriter();
    const error = await writer
      .write({ tree: "not-an-object-id", parents: [], message: "bad", author, date })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).stderr).toMatch(/bogus commit object/);
    await expect(writer.write({ tree, parents: [], message: "after", author, date })).rejects.toThrow(
      GitCommandError,
    );
    await writer.close();
  });
});
