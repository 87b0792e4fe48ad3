import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Task, TaskState } from "@longshot/core";
import { Git } from "@longshot/git";
import { fakeTask } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { GitTaskBranches } from "./task-branches.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): { path: string; git: (...args: string[]) => string } {
  const path = mkdtempSync(join(tmpdir(), "longshot-task-branches-"));
  dirs.push(path);
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: path,
      encoding: "utf8",
      env: {
        PATH: "/usr/bin:/bin",
        HOME: path,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("commit", "--quiet", "--allow-empty", "--message", "base");
  return { path, git };
}

function task(id: string, branch: string, state: TaskState): Task {
  return fakeTask("r1", id, { branch, state, attempts: 1 });
}

describe("GitTaskBranches", () => {
  it("deletes only finished tasks' branches inside the run's namespace", async () => {
    const { path, git } = repo();
    for (const name of [
      "longshot/r1/t1",
      "longshot/r1/t1-lockfile",
      "longshot/r1/t10",
      "longshot/r1/t2",
      "longshot/r1/t2-lockfile",
      "longshot/r1/t3",
      "longshot/r1/integration",
      "longshot/r2/t1",
      "feature",
    ]) {
      git("branch", name);
    }
    const branches = new GitTaskBranches(new Git(path), {
      namespace: "longshot/r1/",
      integrationBranch: "longshot/r1/integration",
    });
    const removed = await branches.removeFinished([
      task("t1", "longshot/r1/t1", "landed"),
      task("t2", "longshot/r1/t2", "running"),
      task("t3", "longshot/r1/t3", "failed"),
      task("t4", "longshot/r1/t4", "cancelled"),
      // Never outside the namespace, never the integration branch, whatever a task says.
      task("t5", "feature", "landed"),
      task("t6", "longshot/r2/t1", "landed"),
      task("t7", "longshot/r1/integration", "landed"),
    ]);
    expect(removed).toEqual(["longshot/r1/t1", "longshot/r1/t1-lockfile", "longshot/r1/t3"]);
    expect(git("branch", "--format=%(refname:short)").split("\n").sort()).toEqual([
      "feature",
      "longshot/r1/integration",
      "longshot/r1/t10",
      "longshot/r1/t2",
      "longshot/r1/t2-lockfile",
      "longshot/r2/t1",
      "main",
    ]);
  });
});
