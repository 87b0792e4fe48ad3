import { describe, expect, it } from "vitest";
import { isConflictMarker, parseConflictedFile, spliceAnswers } from "./conflict-hunks.js";

const conflicted = [
  "// header",
  "export const registry = [];",
  "<<<<<<< 1111111",
  'export const registry = ["a"];',
  "=======",
  'export const registry = ["b"];',
  ">>>>>>> 2222222",
  "middle one",
  "middle two",
  "<<<<<<< 1111111",
  "ours tail",
  "||||||| 3333333",
  "base tail",
  "=======",
  "theirs tail",
  ">>>>>>> 2222222",
  "",
].join("\n");

/** Splices `answers` into the conflicted src/index.ts above. */
function answerIndex(answers: Parameters<typeof spliceAnswers>[1]) {
  return spliceAnswers([parseConflictedFile("src/index.ts", conflicted)!], answers);
}

describe("conflicted hunks", () => {
  it("cuts a conflicted file into hunks with both sides, the base when given, and context", () => {
    const parsed = parseConflictedFile("src/index.ts", conflicted, 1);
    expect(parsed?.hunks).toEqual([
      {
        id: "src/index.ts#1",
        file: "src/index.ts",
        before: ["export const registry = [];"],
        integration: ['export const registry = ["a"];'],
        base: null,
        task: ['export const registry = ["b"];'],
        after: ["middle one"],
      },
      {
        id: "src/index.ts#2",
        file: "src/index.ts",
        before: ["middle two"],
        integration: ["ours tail"],
        base: ["base tail"],
        task: ["theirs tail"],
        after: [],
      },
    ]);
  });

  it("puts answers back and changes no other line", () => {
    const spliced = answerIndex([
      { id: "src/index.ts#1", resolution: 'export const registry = ["a", "b"];\n' },
      { id: "src/index.ts#2", resolution: "ours tail\ntheirs tail" },
    ]);
    expect(spliced).toEqual({
      ok: true,
      contents: new Map([
        [
          "src/index.ts",
          '// header\nexport const registry = [];\nexport const registry = ["a", "b"];\nmiddle one\nmiddle two\nours tail\ntheirs tail\n',
        ],
      ]),
    });
  });

  it("refuses answers that miss a hunk, answer one twice, name no hunk or keep markers", () => {
    const spliced = answerIndex([
      { id: "src/index.ts#1", resolution: "<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n" },
      { id: "src/index.ts#1", resolution: "again" },
      { id: "src/other.ts#1", resolution: "made up" },
    ]);
    expect(spliced.ok).toBe(false);
    if (spliced.ok) return;
    expect(spliced.problems).toEqual([
      "src/index.ts#1 still holds conflict markers.",
      "src/index.ts#1 is answered more than once.",
      "src/other.ts#1 names no conflicted hunk.",
      "src/index.ts#2 has no answer.",
    ]);
  });

  it("an empty answer deletes the hunk's lines", () => {
    const parsed = parseConflictedFile("a.txt", "keep\n<<<<<<< x\none\n=======\ntwo\n>>>>>>> y\n")!;
    expect(spliceAnswers([parsed], [{ id: "a.txt#1", resolution: "" }])).toEqual({
      ok: true,
      contents: new Map([["a.txt", "keep\n"]]),
    });
  });

  it("has nothing to answer in a file without markers or with markers that do not nest", () => {
    expect(parseConflictedFile("a.txt", "plain\ntext\n")).toBeNull();
    expect(parseConflictedFile("a.txt", "<<<<<<< x\none\n=======\ntwo\n")).toBeNull();
    expect(parseConflictedFile("a.txt", "<<<<<<< x\n<<<<<<< y\n=======\n>>>>>>> z\n")).toBeNull();
    expect(parseConflictedFile("a.txt", "one\n>>>>>>> stray\n")).toBeNull();
  });

  it("keeps a CRLF file's line endings and knows its markers", () => {
    const parsed = parseConflictedFile(
      "w.txt",
      "a\r\n<<<<<<< x\r\none\r\n=======\r\ntwo\r\n>>>>>>> y\r\nz\r\n",
    )!;
    expect(parsed.hunks[0]).toMatchObject({ integration: ["one\r"], task: ["two\r"] });
    expect(spliceAnswers([parsed], [{ id: "w.txt#1", resolution: "both\r" }])).toMatchObject({
      ok: true,
      contents: new Map([["w.txt", "a\r\nboth\r\nz\r\n"]]),
    });
    expect(isConflictMarker("=======\r")).toBe(true);
    expect(isConflictMarker("======== heading")).toBe(false);
  });
});
