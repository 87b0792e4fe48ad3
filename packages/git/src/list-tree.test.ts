import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { GitCommandError } from "./errors.js";
import { listTree } from "./list-tree.js";

repoPerTest();

describe("listTree", () => {
  it("lists the top level of a commit with modes, types and object ids, not recursing into directories", async () => {
    await repo.commit({ "src/deep/x.ts": "x\n", "run.sh": "echo\n", "odd\tname.txt": "tab\n" }, "more");
    chmodSync(join(repo.path, "run.sh"), 0o755);
    const commit = (await git.commitAll("exec", { name: "t", email: "t@t" }))!;

    const entries = await listTree(repo.path, commit);
    expect(entries.map((entry) => [entry.mode, entry.type, entry.name])).toEqual([
      ["100644", "blob", "a.txt"],
      ["100644", "blob", "odd\tname.txt"],
      ["100755", "blob", "run.sh"],
      ["040000", "tree", "src"],
    ]);
    const file = entries.find((entry) => entry.name === "a.txt");
    expect(file?.sha).toBe(await repo.git(["rev-parse", `${commit}:a.txt`]));
    expect(await listTree(repo.path, `${commit}^{tree}`)).toEqual(entries);
  });

  it("throws GitCommandError naming ls-tree for a revision that names nothing", async () => {
    await expect(listTree(repo.path, "0".repeat(40))).rejects.toBeInstanceOf(GitCommandError);
    await expect(listTree(repo.path, "no-such-branch")).rejects.toThrow(/git ls-tree failed/);
  });
});
