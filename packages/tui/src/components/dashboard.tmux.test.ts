import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TmuxTerminal } from "@longshot/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { recordedRun } from "../__fixtures__/recorded-run.js";

const replay = fileURLToPath(new URL("../../dist/bin/replay.js", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let terminal: TmuxTerminal | undefined;

async function waitFor(predicate: (screen: string) => boolean): Promise<string> {
  const screens = await terminal!.watch(predicate, { timeoutMs: 15_000 });
  return screens.at(-1) ?? "";
}

function landed(screen: string): number {
  return Number(/landed (\d+)/.exec(screen)?.[1] ?? -1);
}

describe("dashboard in a real terminal (tmux)", () => {
  afterAll(() => {
    terminal?.close();
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
    terminal = TmuxTerminal.start({
      command: `env -u CI node ${replay} ${file} 8; sleep 30`,
      width: 160,
      height: 45,
      session: `longshot-tui-${process.pid}`,
    });
    const first = await waitFor((screen) => screen.includes("Workers ·") && landed(screen) >= 1);
    for (const panel of ["longshot r-demo", "Plan · 80 tasks", "Merges", "Health", "landed/min"]) {
      expect(first).toContain(panel);
    }
    const later = await waitFor((screen) => landed(screen) > landed(first) + 5);
    expect(landed(later)).toBeGreaterThan(landed(first));
    terminal.keys("p");
    const paused = await waitFor((screen) => screen.includes("paused"));
    const frozen = landed(paused);
    await sleep(500);
    expect(landed(terminal.screen())).toBe(frozen);
    terminal.keys("p");
    await waitFor((screen) => landed(screen) > frozen);
  });
});
