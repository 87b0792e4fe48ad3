import { access } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createBranches } from "./create-branches.js";
import { testIdentity } from "./run-git.js";
import { createTempRepo, type TempRepo } from "./temp-repo.js";

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe("createTempRepo", () => {
  it("creates a repository on the requested branch with the given files, committed by the test identity", async () => {
    repo = await createTempRepo({ files: { "src/a.ts": "export {};\n" }, branch: "trunk", message: "start" });
    expect(await repo.git(["symbolic-ref", "--short", "HEAD"])).toBe("trunk");
    expect(await repo.sha()).toBe(repo.initial);
    expect(await repo.git(["ls-tree", "-r", "--name-only", "HEAD"])).toBe("src/a.ts");
    expect(await repo.git(["log", "-1", "--format=%an <%ae> %s"])).toBe(
      `${testIdentity.name} <${testIdentity.email}> start`,
    );
  });

  it("commits changes and deletions, and removes everything on cleanup", async () => {
    repo = await createTempRepo({ files: { "a.txt": "a\n", "b.txt": "b\n" } });
    const sha = await repo.commit({ "a.txt": "changed\n", "b.txt": null }, "edit");
    expect(await repo.git(["show", `${sha}:a.txt`])).toBe("changed");
    expect((await repo.tryGit(["cat-file", "-e", `${sha}:b.txt`])).exitCode).not.toBe(0);
    const bare = await repo.cloneBare();
    expect(await repo.git(["--git-dir", bare, "rev-parse", "main"])).toBe(sha);
    await repo.cleanup();
    await expect(access(repo.path)).rejects.toThrow();
    repo = undefined;
  });
});

describe("createBranches", () => {
  it("creates many multi-commit branches without touching the working tree", async () => {
    repo = await createTempRepo({ files: { "shared.txt": "base\n" } });
    const tips = await createBranches(repo.path, [
      { name: "task/one", from: repo.initial, commits: [{ files: { "one.txt": "1\n" }, message: "one" }] },
      {
        name: "task/two",
        from: "main",
        commits: [
          { files: { "two.txt": "2\n", "dir with space/x.txt": "x\n" }, message: "two a" },
          { files: { "shared.txt": null }, message: "two b" },
        ],
      },
    ]);
    expect([...tips.keys()].sort()).toEqual(["task/one", "task/two"]);
    const two = tips.get("task/two") ?? "";
    expect(await repo.git(["log", "--format=%s", `${repo.initial}..${two}`])).toBe("two b\ntwo a");
    expect(await repo.git(["ls-tree", "-r", "--name-only", two])).toBe("dir with space/x.txt\ntwo.txt");
    expect(await repo.git(["status", "--porcelain"])).toBe("");
    expect(await repo.sha("main")).toBe(repo.initial);
  });
});
