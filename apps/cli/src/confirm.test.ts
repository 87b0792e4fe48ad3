import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { confirmRequest, isSingleWord } from "./confirm.js";

function terminal(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => {
    shown += chunk.toString();
  });
  return { input, output, shown: () => shown };
}

describe("one-word requests", () => {
  it("tells a word from a sentence", () => {
    expect(isSingleWord("refactor")).toBe(true);
    expect(isSingleWord("  refactor  ")).toBe(true);
    expect(isSingleWord("Build per SPEC.md")).toBe(false);
  });

  it("starts only on an explicit yes", async () => {
    for (const [answer, expected] of [
      ["y\n", true],
      ["yes\n", true],
      ["n\n", false],
      ["\n", false],
      ["sure\n", false],
    ] as const) {
      const io = terminal();
      const asked = confirmRequest("refactor", io.input, io.output);
      io.input.write(answer);
      expect(await asked).toBe(expected);
      expect(io.shown()).toContain('for the one-word request "refactor"? [y/N]');
    }
  });

  it("counts the end of input as no", async () => {
    const io = terminal();
    const asked = confirmRequest("refactor", io.input, io.output);
    io.input.end();
    expect(await asked).toBe(false);
  });
});
