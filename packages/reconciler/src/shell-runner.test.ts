import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError, systemClock } from "@longshot/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { LocalShellRunner } from "./shell-runner.js";

let dir: string;
const runner = new LocalShellRunner(systemClock);
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir() };
const request = (
  command: string,
  extra: { timeoutMs?: number; signal?: AbortSignal; maxOutputBytes?: number } = {},
) => ({
  command,
  cwd: dir,
  env,
  timeoutMs: extra.timeoutMs ?? 30_000,
  maxOutputBytes: extra.maxOutputBytes ?? 65_536,
  ...(extra.signal === undefined ? {} : { signal: extra.signal }),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "longshot-shell-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it("interleaves stdout and stderr and reports the exit code", async () => {
  const result = await runner.run(request("echo one; echo two >&2; echo three; exit 3"));
  expect(result).toMatchObject({ exitCode: 3, output: "one\ntwo\nthree\n", timedOut: false });
});

it("passes only the given environment", async () => {
  const result = await runner.run(request('echo "[$HOME] [$(printenv LLM_API_KEY || echo unset)]"'));
  expect(result.output).toBe(`[${tmpdir()}] [unset]\n`);
});

it("kills the whole process group on timeout, background children included", async () => {
  const marker = join(dir, "survivor");
  const result = await runner.run(request(`(sleep 1; touch ${marker}) & sleep 30`, { timeoutMs: 200 }));
  expect(result.timedOut).toBe(true);
  expect(result.exitCode).toBe(137);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const check = await runner.run(request(`test -e ${marker} && echo alive || echo gone`));
  expect(check.output).toBe("gone\n");
});

it("rejects with AbortError when cancelled", async () => {
  const controller = new AbortController();
  const pending = runner.run(request("sleep 30", { signal: controller.signal }));
  setTimeout(() => controller.abort(), 100);
  await expect(pending).rejects.toThrow(AbortError);
});

it("caps the output, keeping its end", async () => {
  const result = await runner.run(request("seq 1 100000; echo the-end", { maxOutputBytes: 1000 }));
  expect(result.output.length).toBeLessThan(1200);
  expect(result.output).toContain("bytes omitted");
  expect(result.output.trimEnd().endsWith("the-end")).toBe(true);
});
