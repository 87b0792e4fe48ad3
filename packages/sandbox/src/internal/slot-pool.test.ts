import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessGitRunner } from "@longshot/git";
import { afterEach, describe, expect, it } from "vitest";
import { testGit } from "./conformance/provider-testbed.js";
import { type ReadySlot, SlotPool } from "./slot-pool.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]): string => testGit(cwd)(...args);

/** A repository of 200 small files, and a pool of its worktrees that keeps none idle. */
async function poolOfSample(): Promise<{ pool: SlotPool; repo: string; base: string }> {
  dir = mkdtempSync(join(tmpdir(), "longshot-slot-pool-"));
  const repo = join(dir, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  git(repo, "init", "-q");
  for (let index = 0; index < 200; index++)
    writeFileSync(join(repo, "src", `m${index}.ts`), `export const m${index} = ${index};\n`);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "sample");
  const pool = new SlotPool({
    repoPath: repo,
    repoDir: join(dir, "slots"),
    runner: new ProcessGitRunner(),
    capacity: 0,
  });
  await pool.prepare();
  return { pool, repo, base: git(repo, "rev-parse", "HEAD") };
}

const lease = (index: number) => ({ sandboxId: `s${index}`, pid: process.pid });

describe("the worktrees of one repository", () => {
  // Many sandboxes start at once in a swarm: `git worktree add` reads every registered
  // worktree's metadata and failed on one another add was still writing ("failed to read
  // worktrees/ls-…/commondir"), which failed the attempt that asked for it.
  it("checks out many at once, while others are removed, each complete and clean", async () => {
    const { pool, repo, base } = await poolOfSample();
    const first = await Promise.all(
      Array.from({ length: 6 }, (_, index) => pool.acquire(base, lease(index))),
    );
    const leaving = first.map((ready) => pool.remove(ready.slot));
    const arriving = Array.from({ length: 16 }, (_, index) => pool.acquire(base, lease(100 + index)));
    const [slots] = await Promise.all([Promise.all(arriving), Promise.all(leaving)]);

    for (const ready of slots as ReadySlot[]) {
      expect(readFileSync(join(ready.slot.workdir, "src", "m199.ts"), "utf8")).toBe(
        "export const m199 = 199;\n",
      );
      expect(git(ready.slot.workdir, "status", "--porcelain")).toBe("");
      expect(git(ready.slot.workdir, "rev-parse", "HEAD")).toBe(base);
    }
    const registered = git(repo, "worktree", "list", "--porcelain")
      .split("\n")
      .filter((line) => line.startsWith("worktree "));
    expect(registered).toHaveLength(1 + slots.length);

    await Promise.all(slots.map((ready) => pool.remove(ready.slot)));
    expect(
      git(repo, "worktree", "list", "--porcelain")
        .split("\n")
        .filter((line) => line.startsWith("worktree ")),
    ).toEqual([`worktree ${repo}`]);
  });
});
