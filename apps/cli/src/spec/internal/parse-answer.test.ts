import { describe, expect, it } from "vitest";
import { parseAnswer } from "./parse-answer.js";

const suggestions = ["alpha", "beta", "gamma"];

describe("parseAnswer", () => {
  it("picks a suggestion by its number", () => {
    expect(parseAnswer(" 2 ", suggestions, false)).toEqual({ kind: "picks", values: ["beta"] });
  });

  it("treats a number with no suggestion behind it as free text", () => {
    expect(parseAnswer("7", suggestions, false)).toEqual({ kind: "text", value: "7" });
    expect(parseAnswer("0", suggestions, true)).toEqual({ kind: "text", value: "0" });
  });

  it("picks several suggestions at once in a list, each once", () => {
    expect(parseAnswer("3, 1 3", suggestions, true)).toEqual({ kind: "picks", values: ["gamma", "alpha"] });
  });

  it("keeps several numbers as text outside a list", () => {
    expect(parseAnswer("1,2", suggestions, false)).toEqual({ kind: "text", value: "1,2" });
  });

  it("drops list markers from free-text items but keeps the text of plain answers", () => {
    expect(parseAnswer("- [ ] `pnpm test` passes", suggestions, true)).toEqual({
      kind: "text",
      value: "`pnpm test` passes",
    });
    expect(parseAnswer("2. Export to CSV", suggestions, true)).toEqual({
      kind: "text",
      value: "Export to CSV",
    });
    expect(parseAnswer("- dashes stay here", suggestions, false)).toEqual({
      kind: "text",
      value: "- dashes stay here",
    });
  });

  it("reads blank lines as empty", () => {
    expect(parseAnswer("   ", suggestions, true)).toEqual({ kind: "empty" });
    expect(parseAnswer("- ", suggestions, true)).toEqual({ kind: "empty" });
  });
});
