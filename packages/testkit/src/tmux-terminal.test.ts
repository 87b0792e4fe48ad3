import { describe, expect, it } from "vitest";
import { TmuxTerminal } from "./tmux-terminal.js";

describe("TmuxTerminal", () => {
  it("shows what the program prints, types keys into it, and is gone once closed", async () => {
    const terminal = TmuxTerminal.start({
      command: "echo ready; read line; echo got:$line; sleep 30",
      width: 40,
      height: 10,
      session: "t",
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
    const terminal = TmuxTerminal.start({ command: "echo nothing else; sleep 30", width: 40, height: 5 });
    try {
      await expect(terminal.waitFor("never", 300)).rejects.toThrow(/never showed.*\n.*nothing else/s);
    } finally {
      terminal.close();
    }
  });

  // A shared tmux server exits when its last session is killed; a session started in that moment
  // failed with "server exited unexpectedly" (a CI run of the dashboard's terminal test).
  it("starts a session of the same name right after closing one, and keeps two open apart", async () => {
    for (let round = 0; round < 15; round += 1) {
      const terminal = TmuxTerminal.start({
        command: `echo round-${round}; sleep 30`,
        width: 40,
        height: 5,
        session: "same",
      });
      try {
        expect(await terminal.waitFor(`round-${round}`)).toContain(`round-${round}`);
      } finally {
        terminal.close();
      }
    }
    const first = TmuxTerminal.start({
      command: "echo first; sleep 30",
      width: 40,
      height: 5,
      session: "same",
    });
    const second = TmuxTerminal.start({
      command: "echo second; sleep 30",
      width: 40,
      height: 5,
      session: "same",
    });
    try {
      expect(await first.waitFor("first")).not.toContain("second");
      first.close();
      expect(await second.waitFor("second")).toContain("second");
    } finally {
      first.close();
      second.close();
    }
  });
});
