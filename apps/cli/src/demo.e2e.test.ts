import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, runCli } from "./__fixtures__/cli-harness.js";

const dir = mkdtempSync(join(tmpdir(), "longshot-demo-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A whole run of about 40 tasks with builds and tests: the limit (ten seconds a task and a minute
// for set-up, ten times what an idle machine needs; 228 s with two CPU-bound processes beside it on
// a 2-core machine at load 30) only stops a hung run, it is not a speed check.
const demoLimit = 60_000 + 40 * 10_000;

describe("longshot demo", () => {
  it("needs no key or service, says the model is simulated, resolves a conflict and a broken build, and ends green", {
    timeout: demoLimit,
  }, async () => {
    const result = await runCli(["demo", "--dir", dir, "--no-dashboard", "--pace", "0"], baseEnv());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("the model is SIMULATED");
    const lines = result.stderr.split("\n");
    const planned = lines.filter((line) => / t\d{4} added \(plan\)/.test(line)).length;
    expect(planned).toBeGreaterThanOrEqual(30);
    expect(planned).toBeLessThanOrEqual(60);
    expect(lines.some((line) => / conflicts in src\/index\.ts/.test(line))).toBe(true);
    expect(lines.some((line) => / health red \(build\)/.test(line))).toBe(true);
    expect(lines.some((line) => / fix task t\d{4} for /.test(line))).toBe(true);
    expect(result.stderr).toMatch(/run ended green/);
    expect(existsSync(join(dir, "sample-utils", "src", "median.ts"))).toBe(true);
  });
});
