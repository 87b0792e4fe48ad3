import { chmodSync } from "node:fs";
import { join } from "node:path";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitCommandError } from "./errors.js";
import { Git } from "./git.js";
import { editTree } from "./tree-edit.js";

let repo: TempRepo;
let git: Git;
let base: string;

beforeEach(async () => {
  repo = await createTempRepo({
    files: {
      "src/a.ts": "a\n",
      "tests/hidden/one.test.ts": "one\n",
      "tests/hidden/two.test.ts": "two\n",
      "run.sh": "echo\n",
    },
  });
  git = new Git(repo.path);
  base = (await git.resolveCommit("HEAD"))!;
});
afterEach(() => repo.cleanup());

async function filesOf(tree: string): Promise<string[]> {
  return git.listFiles(await git.commitTree(tree, [base], "edited", { name: "t", email: "t@t" }));
}

describe("editTree", () => {
  it("removes a directory and copies it back from another commit, leaving the checkout and index alone", async () => {
    const status = await git.status();
    const without = await editTree(repo.path, base, [{ kind: "remove", path: "tests/hidden" }]);
    expect(await filesOf(without)).toEqual(["run.sh", "src/a.ts"]);
    const heldOut = await git.commitTree(without, [base], "held out", { name: "t", email: "t@t" });
    const restored = await editTree(repo.path, heldOut, [{ kind: "copy", path: "tests/hidden", from: base }]);
    expect(restored).toBe(await git.revParse(`${base}^{tree}`));
    expect(await git.status()).toEqual(status);
  });

  it("writes files keeping the mode they have in the given commit, and changes nothing for no-op edits", async () => {
    chmodSync(join(repo.path, "run.sh"), 0o755);
    const executable = (await git.commitAll("exec", { name: "t", email: "t@t" }))!;
    const tree = await editTree(repo.path, executable, [
      { kind: "write", path: "run.sh", content: "echo changed\n", modeFrom: executable },
      { kind: "write", path: "src/new.ts", content: "new\n", modeFrom: executable },
    ]);
    const commit = await git.commitTree(tree, [executable], "written", { name: "t", email: "t@t" });
    expect(await git.readFile(commit, "run.sh")).toBe("echo changed\n");
    expect(await git.readFile(commit, "src/new.ts")).toBe("new\n");
    const entries = await git.diffNameStatus(executable, commit);
    expect(entries.map((entry) => entry.path).sort()).toEqual(["run.sh", "src/new.ts"]);
    expect(await repo.git(["ls-tree", commit, "--", "run.sh"])).toMatch(/^100755 /);
    expect(await repo.git(["ls-tree", commit, "--", "src/new.ts"])).toMatch(/^100644 /);
    expect(await editTree(repo.path, commit, [{ kind: "remove", path: "nothing/here" }])).toBe(tree);
  });

  it("throws GitCommandError naming the command for a base that does not exist", async () => {
    await expect(editTree(repo.path, "0".repeat(40), [])).rejects.toBeInstanceOf(GitCommandError);
    await expect(editTree(repo.path, "0".repeat(40), [])).rejects.toThrow(/git read-tree failed/);
  });
});
