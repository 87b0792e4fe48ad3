import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTempRepo, type TempRepo, TmuxTerminal } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tallyRepoFiles } from "./__fixtures__/tally-repo.js";

// The interview runs from its TypeScript sources in a real terminal: Node strips the types and
// a resolve hook maps `.js` imports to the `.ts` files.
const bin = fileURLToPath(new URL("./__fixtures__/spec-bin.ts", import.meta.url));
const hook = fileURLToPath(new URL("./__fixtures__/resolve-ts.mjs", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let terminal: TmuxTerminal;
const waitFor = (text: string) => terminal.waitFor(text);
const keys = (...args: string[]) => terminal.keys(...args);

/**
 * The interview's result, which the script writes just after its last line reaches the
 * screen: waits for the file (bounded) instead of racing it.
 */
async function readResult(timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return JSON.parse(await readFile(resultFile, "utf8"));
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(50);
    }
  }
}

/** Quotes one word for the shell tmux runs the command with. */
function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Types a line as keystrokes (literally), then Enter. */
function typeLine(text: string): void {
  if (text !== "") keys("-l", text);
  keys("Enter");
}

let repo: TempRepo;
let resultFile: string;

beforeEach(async () => {
  repo = await createTempRepo({ files: tallyRepoFiles });
  resultFile = repo.tempPath("result.json");
  terminal = TmuxTerminal.start({
    command: `env -u CI ${[process.execPath, "--import", hook, bin, repo.path, resultFile].map(quote).join(" ")}; sleep 30`,
    width: 120,
    height: 40,
    session: "spec",
  });
});

afterEach(async () => {
  terminal.close();
  await repo.cleanup();
});

describe("the spec interview in a real terminal (tmux)", () => {
  it("shows suggestions, edits lines with the keyboard, and writes SPEC.md", async () => {
    const first = await waitFor("1/6 Project name");
    expect(first).toContain("Ctrl+C stops the interview without writing anything.");
    expect(first).toContain("1. Tally");
    typeLine("1");
    await waitFor("2/6 Problem");
    typeLine("1");
    await waitFor("3/6 Users");
    // A typo fixed with Backspace: the terminal's line editing works.
    keys("-l", "Novelists who write in Markdownx");
    keys("BSpace");
    keys("Enter");
    await waitFor("4/6 Core features");
    typeLine("Count words per file");
    typeLine("");
    const constraints = await waitFor("5/6 Constraints");
    expect(constraints).toMatch(/1\. (?:Java|Type)Script, Node \d+, pnpm/);
    typeLine("1");
    typeLine("");
    const acceptance = await waitFor("6/6 Acceptance");
    expect(acceptance).toContain("1. `pnpm test` passes");
    typeLine("1");
    typeLine("");
    await waitFor("Wrote ");
    expect(await readResult()).toMatchObject({
      written: true,
      outcome: "written",
    });
    const spec = await readFile(join(repo.path, "SPEC.md"), "utf8");
    expect(spec).toContain("# Tally\n");
    expect(spec).toContain("## Problem\n\nWriters lose track of progress across many Markdown drafts.\n");
    expect(spec).toContain("## Users\n\nNovelists who write in Markdown\n");
    expect(spec).toContain("## Acceptance\n\n- [ ] `pnpm test` passes\n");
  });

  it("stops on Ctrl+C and writes nothing", async () => {
    await waitFor("1/6 Project name");
    typeLine("Tally");
    await waitFor("2/6 Problem");
    keys("-l", "half an answ");
    keys("C-c");
    await waitFor("Interview stopped; nothing was written.");
    expect(await readResult()).toMatchObject({
      written: false,
      outcome: "cancelled",
    });
    await expect(readFile(join(repo.path, "SPEC.md"), "utf8")).rejects.toThrow(/ENOENT/);
  });
});
