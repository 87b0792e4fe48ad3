import { describe, expect, it } from "vitest";
import { mergedLines, resolutionAnswer, shownHunks } from "./resolution-answer.js";

const registry = (names: string) => `export const registry: readonly string[] = [${names}];`;
const request = [
  "## Conflicted hunks",
  "",
  "### Hunk src/index.ts#1",
  "Lines before it (unchanged, not part of the answer):",
  "````",
  "// api",
  "````",
  "The integration branch's lines:",
  "````",
  registry('"a", "b"'),
  'export { a } from "./a.ts";',
  "````",
  "The task's lines:",
  "````",
  registry('"a", "c"'),
  'export { a } from "./a.ts";',
  'export { c } from "./c.ts";',
  "````",
  "Lines after it (unchanged, not part of the answer):",
  "````",
  "````",
  "",
].join("\n");

describe("the scripted answer to a resolution request", () => {
  it("reads the hunks as the request shows them", () => {
    expect(shownHunks(request)).toEqual([
      {
        id: "src/index.ts#1",
        integration: [registry('"a", "b"'), 'export { a } from "./a.ts";'],
        task: [registry('"a", "c"'), 'export { a } from "./a.ts";', 'export { c } from "./c.ts";'],
      },
    ]);
  });

  it("keeps both sides, every line once and one registry naming everyone", () => {
    expect(mergedLines(shownHunks(request)[0]!)).toEqual([
      registry('"a", "b", "c"'),
      'export { a } from "./a.ts";',
      'export { c } from "./c.ts";',
    ]);
  });

  it("answers carelessly by keeping both sides as they are, and gives up on a request with no hunk", () => {
    const careless = resolutionAnswer(request, true).hunks[0]?.resolution ?? "";
    expect(careless.split("\n").filter((line) => line.startsWith("export const registry"))).toHaveLength(2);
    expect(resolutionAnswer("no hunks here", false)).toEqual({
      hunks: [],
      cannotResolve: "the request shows no hunk I can read",
    });
  });
});
