import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, runCli, startCli } from "./__fixtures__/cli-harness.js";

const dir = mkdtempSync(join(tmpdir(), "longshot-demo-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A whole run of about 40 tasks with builds and tests: the limit (ten seconds a task and a minute
// for set-up, ten times what an idle machine needs; 228 s with two CPU-bound processes beside it on
// a 2-core machine at load 30) only stops a hung run, it is not a speed check.
const demoLimit = 60_000 + 40 * 10_000;

describe("longshot demo", () => {
  it("needs no key or service, says the model is simulated, lands every export of the shared barrel once, repairs a broken build, and ends green", {
    timeout: demoLimit,
  }, async () => {
    const result = await runCli(["demo", "--dir", dir, "--no-dashboard", "--pace", "0"], baseEnv());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("the model is SIMULATED");
    const lines = result.stderr.split("\n");
    const planned = lines.filter((line) => / t\d{4} added \(plan\)/.test(line)).length;
    expect(planned).toBeGreaterThanOrEqual(30);
    expect(planned).toBeLessThanOrEqual(60);
    // Every module task adds its export to src/index.ts: the scheduler orders and caps that hot
    // file's work, and the queue and the resolution step settle what still collides, so whether
    // a conflict shows depends on timing; what must hold is every export landed exactly once.
    const index = readFileSync(join(dir, "sample-utils", "src", "index.ts"), "utf8")
      .split("\n")
      .filter(Boolean);
    expect(index.length).toBeGreaterThanOrEqual(30);
    expect(new Set(index).size).toBe(index.length);
    expect(lines.some((line) => / health red \(build\)/.test(line))).toBe(true);
    expect(lines.some((line) => / fix task t\d{4} for /.test(line))).toBe(true);
    expect(result.stderr).toMatch(/^Run \S+ ended green: /m);
    expect(existsSync(join(dir, "sample-utils", "src", "median.ts"))).toBe(true);
  });

  // Where local sandboxes cannot be isolated (no bubblewrap, a container without user namespaces; here
  // a bubblewrap that is not there), the demo still runs, in plain worktrees, and says so.
  it("runs without bubblewrap in plain worktrees, saying so, and stopped with Ctrl+C says to run it again, not to resume", async () => {
    const stopped = join(dir, "stopped");
    const env = baseEnv({ LONGSHOT_BWRAP: "/nonexistent/bwrap" });
    const running = startCli(["demo", "--dir", stopped, "--no-dashboard", "--pace", "0"], env);
    await running.waitForErrLine((line) => / t\d{4} landed /.test(line));
    running.child.kill("SIGINT");
    const finished = await running.done;
    expect(finished.stderr).toContain(
      "Local sandboxes cannot be isolated here (bubblewrap is not installed), so the demo runs its own scripted commands in plain worktrees; runs on your repositories refuse until longshot doctor passes.",
    );
    expect(finished.stderr).toContain("WARNING: SANDBOX_PROVIDER=none");
    expect(finished.code).toBe(130);
    expect(finished.stderr).toContain(
      "The demo stopped. It cannot be resumed (its simulated model ended with it): run longshot demo again.",
    );
    expect(finished.stderr).not.toContain("longshot resume");
  });

  it("refuses a --dir that holds an earlier demo's sample, or is a file, touching neither", async () => {
    const head = readFileSync(join(dir, "sample-utils", ".git", "HEAD"), "utf8");
    const again = await runCli(["demo", "--dir", dir, "--no-dashboard", "--pace", "0"], baseEnv());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `${join(dir, "sample-utils")} exists already (an earlier demo's?); the demo starts from a fresh sample, so remove it or give another --dir.`,
    );
    expect(readFileSync(join(dir, "sample-utils", ".git", "HEAD"), "utf8")).toBe(head);
    const file = join(dir, "a-file");
    writeFileSync(file, "keep\n");
    const onFile = await runCli(["demo", "--dir", file, "--no-dashboard", "--pace", "0"], baseEnv());
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(
      `--dir ${file} is a file; give a folder (created when missing) for the sample repository.`,
    );
    expect(readFileSync(file, "utf8")).toBe("keep\n");
  });
});
