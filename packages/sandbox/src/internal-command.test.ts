import { describe, expect, it } from "vitest";
import { throwIfStopped } from "./internal-command.js";

describe("throwIfStopped", () => {
  it("lets a command that ended by itself through, whatever its exit code", () => {
    expect(() => throwIfStopped(undefined, ["git", "status"])).not.toThrow();
  });

  it("fails an aborted command with AbortError and a timed-out one naming the program", () => {
    expect(() => throwIfStopped("abort", ["git"])).toThrow(expect.objectContaining({ name: "AbortError" }));
    expect(() => throwIfStopped("timeout", ["git", "status"])).toThrow(
      expect.objectContaining({
        name: "SandboxError",
        reason: "exec-failed",
        message: "git did not finish inside the sandbox.",
      }),
    );
    expect(() => throwIfStopped("timeout", [])).toThrow("A command did not finish inside the sandbox.");
  });
});
