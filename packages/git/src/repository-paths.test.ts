import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { git, repo, repoPerTest } from "./__fixtures__/repo-per-test.js";
import { gitDirOf, repositoryTop } from "./repository-paths.js";

repoPerTest();

describe("repositoryTop and gitDirOf", () => {
  it("find the top and the git folder from a subdirectory, as git does", () => {
    const deep = join(repo.path, "src", "deep");
    mkdirSync(deep, { recursive: true });
    expect(repositoryTop(deep)).toBe(repo.path);
    expect(repositoryTop(join(deep, "..", "."))).toBe(repo.path);
    expect(gitDirOf(repositoryTop(deep))).toBe(join(repo.path, ".git"));
  });

  it("give a linked worktree's own git folder, and follow a relative gitdir line", async () => {
    const linked = repo.tempPath("linked");
    await git.addWorktree(linked, { commit: repo.initial, branch: "linked" });
    mkdirSync(join(linked, "sub"));
    expect(repositoryTop(join(linked, "sub"))).toBe(linked);
    expect(gitDirOf(linked)).toBe(join(repo.path, ".git", "worktrees", "linked"));
    const module = join(repo.path, "module");
    mkdirSync(module);
    writeFileSync(join(module, ".git"), "gitdir: ../.git/modules/module\n");
    expect(gitDirOf(module)).toBe(join(repo.path, ".git", "modules", "module"));
  });

  it("answer the path itself, and no git folder, outside any repository", () => {
    const outside = repo.tempPath("outside");
    mkdirSync(join(outside, "a"), { recursive: true });
    expect(repositoryTop(join(outside, "a"))).toBe(join(outside, "a"));
    expect(gitDirOf(outside)).toBeNull();
  });
});
