import { existsSync } from "node:fs";
import { join } from "node:path";
import { TmuxTerminal } from "@longshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, cliSuite, runCli, sampleRepo } from "./__fixtures__/cli-harness.js";

// The dashboard in a real 80×24 terminal (tmux), replaying a recorded run with `longshot replay`.
const session = `longshot-cli-tui-${process.pid}`;
const suite = cliSuite(6);
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
  const run = await runCli(["Build per SPEC.md", "--repo", suite.repo.repo], suite.env());
  expect(run.code).toBe(0);
});
afterAll(() => {
  terminal?.close();
});

/** Starts `longshot replay latest` in a fresh 80×24 session; `--color` as given. */
function replayIn80x24(env: string, color: string): void {
  // Ink draws nothing interactive while CI is set, so the terminal under test runs without it.
  const command = `env -u CI ${env} ${process.execPath} ${cliPath} replay latest --speed 20 ${color} --repo ${suite.repo.repo}; sleep 30`;
  terminal?.close();
  terminal = TmuxTerminal.start({ command, width: 80, height: 24, session });
}

/** Polls the screen (with escape codes when `escapes`) until `predicate` holds; every screen is kept. */
function watch(escapes: boolean, predicate: (screen: string) => boolean): Promise<string[]> {
  if (terminal === undefined) throw new Error("no terminal started");
  return terminal.watch(predicate, { escapes, timeoutMs: 60_000 });
}

describe("the dashboard in an 80×24 terminal", { timeout: 180_000 }, () => {
  it("keeps the header on the top rows in every frame and counts active work the same twice", async () => {
    replayIn80x24("NO_COLOR=1", "");
    const screens = await watch(false, (screen) => screen.includes("run ended green"));
    const drawn = screens.filter((screen) => screen.includes("Workers ·"));
    expect(drawn.length).toBeGreaterThan(0);
    for (const screen of drawn) {
      const lines = screen.split("\n");
      expect(lines[0]).toMatch(/^╭─+╮/);
      expect(lines[1]).toMatch(/^│ longshot (r\S+|…) /);
      expect(lines[2]).toMatch(/^│ tasks \d+\/\d+ done/);
      const header = /(\d+) active ·/.exec(screen)?.[1];
      const panel = /Workers · (\d+) active/.exec(screen)?.[1];
      expect(header).toBe(panel);
    }
    expect(screens.at(-1)).toContain("green");
  });

  it("writes no escape code at all with NO_COLOR, and colours with --color always", async () => {
    replayIn80x24("NO_COLOR=1", "");
    const plain = await watch(true, (screen) => screen.includes("Workers ·") && screen.includes("landed"));
    for (const screen of plain) expect(screen).not.toContain("\u001b[");
    replayIn80x24("NO_COLOR=1", "--color always");
    const coloured = await watch(true, (screen) => screen.includes("Workers ·") && screen.includes("landed"));
    expect(coloured.at(-1)).toContain("\u001b[");
  });
});

describe("a one-word request on a terminal", { timeout: 120_000 }, () => {
  it("asks before starting a run, and starts nothing when the answer is no", async () => {
    const fresh = sampleRepo(3);
    try {
      const command = `env -u CI NO_COLOR=1 ${process.execPath} ${cliPath} refactor --repo ${fresh.repo}; echo EXIT=$?; sleep 30`;
      terminal?.close();
      terminal = TmuxTerminal.start({ command, width: 100, height: 24, session });
      await watch(false, (screen) => screen.includes('for the one-word request "refactor"? [y/N]'));
      terminal.keys("n", "Enter");
      const [screen] = (await watch(false, (text) => text.includes("EXIT="))).slice(-1);
      expect(screen).toContain('Not started. To run the one-word request "refactor" anyway, add --yes.');
      expect(screen).toContain("EXIT=2");
      expect(existsSync(join(fresh.repo, ".git", "longshot"))).toBe(false);
    } finally {
      fresh.cleanup();
    }
  });
});
