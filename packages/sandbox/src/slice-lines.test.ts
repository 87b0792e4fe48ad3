import { describe, expect, it } from "vitest";
import { sliceLines } from "./slice-lines.js";

const text = "one\ntwo\nthree\nfour";

describe("sliceLines", () => {
  it("returns whole text without a range and inclusive ranges with line endings", () => {
    expect(sliceLines(text)).toBe(text);
    expect(sliceLines(text, 2, 3)).toBe("two\nthree\n");
    expect(sliceLines(text, 3)).toBe("three\nfour");
    expect(sliceLines(text, undefined, 1)).toBe("one\n");
    expect(sliceLines(text, 0, 1)).toBe("one\n");
    expect(sliceLines(text, 3, 99)).toBe("three\nfour");
  });

  it("returns nothing for a range past the end or an inverted one", () => {
    expect(sliceLines(text, 9)).toBe("");
    expect(sliceLines(text, 3, 2)).toBe("");
    expect(sliceLines("", 1, 1)).toBe("");
  });
});
