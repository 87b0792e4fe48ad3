import { describe, expect, it } from "vitest";
import { failureExcerpt } from "./failure-excerpt.js";

describe("failureExcerpt", () => {
  it("keeps error lines and locations and drops the noise around them", () => {
    const output = [
      "> app@1.0.0 build",
      "> tsc -p .",
      ...Array.from({ length: 200 }, (_, index) => `compiling module ${index}`),
      "src/math.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/index.ts(10,1): error TS2304: Cannot find name 'foo'.",
      "npm error Lifecycle script `build` failed with error:",
      "npm error code 2",
    ].join("\n");
    const excerpt = failureExcerpt(output);
    expect(excerpt.split("\n")).toEqual([
      "src/math.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/index.ts(10,1): error TS2304: Cannot find name 'foo'.",
    ]);
  });

  it("keeps failing test names with the line after each", () => {
    const output = [
      " ✓ src/a.test.ts (3 tests) 4ms",
      " FAIL  src/math.test.ts > math > subtracts",
      "AssertionError: expected 1 to be 2 // Object.is equality",
      " ❯ src/math.test.ts:9:24",
      "      Tests  1 failed | 3 passed (4)",
    ].join("\n");
    const excerpt = failureExcerpt(output);
    expect(excerpt).toContain("FAIL  src/math.test.ts > math > subtracts");
    expect(excerpt).toContain("AssertionError: expected 1 to be 2");
    expect(excerpt).toContain("src/math.test.ts:9:24");
    expect(excerpt).not.toContain("src/a.test.ts (3 tests)");
  });

  it("stays within 40 lines and 4 KB, saying how much was left out", () => {
    const output = Array.from(
      { length: 500 },
      (_, index) => `src/f${index}.ts(1,1): error TS1005: ';' expected. ${"x".repeat(60)}`,
    ).join("\n");
    const excerpt = failureExcerpt(output);
    expect(excerpt.split("\n").length).toBeLessThanOrEqual(40);
    expect(Buffer.byteLength(excerpt)).toBeLessThanOrEqual(4096);
    expect(excerpt.split("\n").at(-1)).toMatch(/^… \d+ more lines$/);
  });

  it("falls back to the last lines when nothing looks like an error", () => {
    const output = Array.from({ length: 100 }, (_, index) => `line ${index}`).join("\n");
    const excerpt = failureExcerpt(output, { maxLines: 5 });
    expect(excerpt.split("\n")).toEqual(["line 95", "line 96", "line 97", "line 98", "line 99"]);
  });
});
