import { describe, expect, it } from "vitest";
import { commandArgv } from "./command-argv.js";

describe("commandArgv", () => {
  it("runs a command line through bash and an argv as given", () => {
    expect(commandArgv({ command: "echo hi | wc -c" })).toEqual(["/bin/bash", "-c", "echo hi | wc -c"]);
    expect(commandArgv({ argv: ["printf", "%s", "a b"] })).toEqual(["printf", "%s", "a b"]);
  });

  it("refuses neither, both, or an empty argv", () => {
    for (const options of [{}, { command: "true", argv: ["true"] }, { argv: [] }]) {
      expect(() => commandArgv(options)).toThrow(
        expect.objectContaining({ name: "SandboxError", reason: "exec-failed" }),
      );
    }
  });
});
