import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { recordedRun } from "../__fixtures__/recorded-run.js";

const replay = fileURLToPath(new URL("../../dist/bin/replay.js", import.meta.url));
const session = `longshot-tui-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });
const capture = () => tmux("capture-pane", "-p", "-t", session);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = "";
  while (Date.now() < deadline) {
    screen = capture();
    if (predicate(screen)) return screen;
    await sleep(100);
  }
  throw new Error(`the terminal never showed what was expected; last screen:\n${screen}`);
}

function landed(screen: string): number {
  return Number(/landed (\d+)/.exec(screen)?.[1] ?? -1);
}

describe("dashboard in a real terminal (tmux)", () => {
  afterAll(() => {
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // already gone
    }
  });

  it("draws every panel, updates them as events arrive, and answers keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-tui-"));
    const file = join(dir, "events.ndjson");
    writeFileSync(
      file,
      `${recordedRun({ tasks: 80, workers: 8 })
        .map((event) => JSON.stringify(event))
        .join("\n")}\n`,
    );
    // Ink renders nothing interactive while CI is set, so the terminal under test runs without it.
    tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "160",
      "-y",
      "45",
      `env -u CI node ${replay} ${file} 8; sleep 30`,
    );
    const first = await waitFor((screen) => screen.includes("Workers ·") && landed(screen) >= 1);
    for (const panel of ["longshot r-demo", "Plan · 80 tasks", "Merges", "Health", "landed/min"]) {
      expect(first).toContain(panel);
    }
    const later = await waitFor((screen) => landed(screen) > landed(first) + 5);
    expect(landed(later)).toBeGreaterThan(landed(first));
    tmux("send-keys", "-t", session, "p");
    const paused = await waitFor((screen) => screen.includes("paused"));
    const frozen = landed(paused);
    await sleep(500);
    expect(landed(capture())).toBe(frozen);
    tmux("send-keys", "-t", session, "p");
    await waitFor((screen) => landed(screen) > frozen);
  });
});
