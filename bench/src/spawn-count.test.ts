import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commandName, processCpu } from "./spawn-count.ts";

describe("spawn counting", () => {
  it("names git by its subcommand past -c and -C options, other programs by base name", () => {
    expect(commandName(["git", "-c", "core.hooksPath=/dev/null", "-C", "/repo", "rev-parse", "HEAD"])).toBe(
      "git rev-parse",
    );
    expect(commandName(["/usr/bin/bwrap", "--die-with-parent"])).toBe("bwrap");
    expect(commandName([])).toBe("?");
  });

  it("reads the CPU of the processes this one waited for", { timeout: 60_000 }, () => {
    const before = processCpu("self");
    // A child that burns some CPU before exiting.
    spawnSync(process.execPath, [
      "-e",
      "let x = 0; for (let i = 0; i < 5e7; i++) x += i; process.exit(x > 0 ? 0 : 1)",
    ]);
    const after = processCpu("self");
    expect(before).not.toBeNull();
    expect(after!.childrenMs).toBeGreaterThan(before!.childrenMs);
    expect(processCpu(2 ** 30)).toBeNull();
  });
});
