import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TmuxTerminal } from "./tmux-terminal.js";

// The tests' tmux servers listen on sockets of their own in this directory.
let dir: string;
let servers = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "longshot-tmux-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const socket = () => join(dir, `tmux-${++servers}.sock`);

describe("TmuxTerminal", () => {
  it("shows what the program prints, types keys into it, and is gone once closed", async () => {
    const terminal = TmuxTerminal.start({
      command: "echo ready; read line; echo got:$line; sleep 30",
      width: 40,
      height: 10,
      session: "t",
      socket: socket(),
    });
    try {
      expect(await terminal.waitFor("ready")).toContain("ready");
      terminal.keys("-l", "hello there");
      terminal.keys("Enter");
      expect(await terminal.waitFor("got:hello there")).toMatch(/^ready\nhello there\ngot:hello there/);
    } finally {
      terminal.close();
    }
    expect(() => terminal.screen()).toThrow();
  });

  it("says what the screen last showed when the expected text never comes", async () => {
    const terminal = TmuxTerminal.start({
      command: "echo nothing else; sleep 30",
      width: 40,
      height: 5,
      socket: socket(),
    });
    try {
      await expect(terminal.waitFor("never", 300)).rejects.toThrow(/never showed.*\n.*nothing else/s);
    } finally {
      terminal.close();
    }
  });
});
