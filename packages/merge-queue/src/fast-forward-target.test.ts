import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { NewEvent } from "@longshot/core";
import { Git } from "@longshot/git";
import { createBranches, createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fastForwardTarget } from "./fast-forward-target.js";

let repo: TempRepo;
let git: Git;
let integration: string;
const events: NewEvent[] = [];

beforeEach(async () => {
  repo = await createTempRepo({ files: { "app.txt": "v1\n" } });
  git = new Git(repo.path);
  const tips = await createBranches(repo.path, [
    {
      name: "longshot/r1/integration",
      from: repo.initial,
      commits: [{ files: { "app.txt": "v2\n" }, message: "work" }],
    },
  ]);
  integration = tips.get("longshot/r1/integration") ?? "";
  events.length = 0;
});
afterEach(() => repo.cleanup());

const land = (targetBranch = "main") =>
  fastForwardTarget({
    git,
    integrationBranch: "longshot/r1/integration",
    targetBranch,
    emit: (event) => events.push(event),
  });

describe("fastForwardTarget", () => {
  it("fast-forwards the checked-out target and its files when the worktree is clean", async () => {
    expect(await land()).toEqual({
      kind: "fast-forwarded",
      from: repo.initial,
      to: integration,
      worktree: repo.path,
    });
    expect(await repo.sha("main")).toBe(integration);
    expect(await repo.git(["show", "HEAD:app.txt"])).toBe("v2");
    expect(await repo.git(["status", "--porcelain"])).toBe("");
    expect(events).toEqual([
      { type: "target-update", branch: "main", sha: integration, landed: true, command: null },
    ]);
  });

  it("leaves a checked-out target with local changes alone and gives the command", async () => {
    await writeFile(join(repo.path, "notes.txt"), "mine\n");
    const outcome = await land();
    expect(outcome).toMatchObject({
      kind: "manual",
      reason: "local-changes",
      command: `git -C ${repo.path} merge --ff-only longshot/r1/integration`,
    });
    expect(await repo.sha("main")).toBe(repo.initial);
    expect(events[0]).toMatchObject({ type: "target-update", landed: false, sha: null });
  });

  it("moves a target that is not checked out with a compare-and-swap", async () => {
    await repo.git(["branch", "release", repo.initial]);
    expect(await land("release")).toEqual({
      kind: "fast-forwarded",
      from: repo.initial,
      to: integration,
      worktree: null,
    });
    expect(await repo.sha("release")).toBe(integration);
    expect(await repo.sha("main")).toBe(repo.initial);
  });

  it("refuses a target that has diverged and says how to merge it", async () => {
    await repo.commit({ "app.txt": "user edit\n" }, "user work");
    const outcome = await land();
    expect(outcome).toMatchObject({
      kind: "manual",
      reason: "diverged",
      command: `git -C ${repo.path} merge longshot/r1/integration`,
    });
    expect(await repo.git(["show", "HEAD:app.txt"])).toBe("user edit");
  });

  it("reports a target already at the integration head", async () => {
    await land();
    expect(await land()).toEqual({ kind: "up-to-date", sha: integration });
  });
});
