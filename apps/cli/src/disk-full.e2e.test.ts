import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSampleRepo, sampleModules } from "@longshot/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliSuite, runCli, startCli } from "./__fixtures__/cli-harness.js";

// A disk of its own to fill: a small tmpfs, which needs root (CI runs the suite as root); where
// it cannot be mounted, the suite says so in the skipped test's name.
const mountPoint = mkdtempSync(join(tmpdir(), "longshot-full-disk-"));
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint]).status === 0;
afterAll(() => {
  if (mounted) spawnSync("umount", ["-l", mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const suite = cliSuite(3);

/** Writes zeros into `path` until the disk it is on has no space left. */
function fillDisk(path: string): void {
  spawnSync("dd", ["if=/dev/zero", `of=${path}`, "bs=64k"], { stdio: "ignore" });
}

describe.skipIf(!mounted)("a disk that fills up during a run (a tmpfs of its own; needs root)", () => {
  it("stops the run in one sentence, leaves no sandbox or lock behind, and resumes to green once space is freed", {
    timeout: 240_000,
  }, async () => {
    const repo = join(mountPoint, "repo");
    createSampleRepo(repo, sampleModules.slice(0, 3));
    const running = startCli(["Build per SPEC.md", "--no-dashboard"], suite.env(), repo);
    await running.waitForErrLine((line) => / run r\S+ started: /.test(line));
    // The run's next write to its record (the SQLite log on this disk) finds it full.
    const filler = join(mountPoint, "filler");
    fillDisk(filler);
    const stopped = await running.done;
    expect(stopped.code).toBe(1);
    const sentence =
      /^error: Run (r\S+) stopped: its record could not be written \(database or disk is full\); everything recorded before is kept\. To go on, free disk space, then: longshot resume \1$/m;
    expect(stopped.stderr).toMatch(sentence);
    expect(stopped.stderr).not.toContain("internal error");
    expect(stopped.stderr).not.toMatch(/^\s+at /m);
    // Its sandboxes (linked worktrees of the repository) are gone, and so is its lock.
    expect(
      execFileSync("git", ["-C", repo, "worktree", "list"], { encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(1);
    expect(existsSync(join(repo, ".git", "longshot", "run.lock"))).toBe(false);

    rmSync(filler);
    const runId = sentence.exec(stopped.stderr)?.[1] ?? "";
    const resumed = await runCli(["resume", runId, "--no-dashboard"], suite.env(), repo);
    expect(resumed.stderr).toContain(`Run ${runId} ended green`);
    expect(resumed.code).toBe(0);
  });

  it("says the disk is full, without a stack trace, when any other command cannot write", async () => {
    const folder = join(mountPoint, "plain");
    mkdirSync(folder);
    const filler = join(mountPoint, "filler");
    fillDisk(filler);
    try {
      const init = await runCli(["init"], suite.env(), folder);
      expect(init.code).toBe(1);
      expect(init.stderr).toMatch(
        /^error: ENOSPC: no space left on device, .*: the disk is full; free space, then run the command again \(an unfinished run goes on with longshot resume\)\.$/m,
      );
      expect(init.stderr).not.toMatch(/^\s+at /m);
      // Nothing half-written: a later init, with space, writes them whole.
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      rmSync(filler);
    }
  });
});
