import { describe, expect, it } from "vitest";
import { findDuplicates } from "./duplicate-finder.js";

const parser = (name: string, indent = "  ") =>
  [
    `export function ${name}(text: string): Record<string, string> {`,
    `${indent}const result: Record<string, string> = {};`,
    `${indent}for (const line of text.split("\\n")) {`,
    `${indent}${indent}const index = line.indexOf("=");`,
    `${indent}${indent}if (index < 0) continue;`,
    `${indent}${indent}const key = line.slice(0, index).trim();`,
    `${indent}${indent}const value = line.slice(index + 1).trim();`,
    `${indent}${indent}if (key === "") continue;`,
    `${indent}${indent}result[key] = value;`,
    `${indent}}`,
    `${indent}return result;`,
    "}",
  ].join("\n");

describe("findDuplicates", () => {
  it("finds the same function copied into two files, whatever the indentation", () => {
    const files = new Map([
      ["src/a.ts", `import { x } from "./x.ts";\n\n${parser("parseEnv")}\n`],
      ["src/b.ts", `// another module\nexport const answer = 42;\n${parser("parseEnv", "    ")}\n`],
      ["src/c.ts", "export const unrelated = (value: number) => value * 2;\n"],
    ]);
    const groups = findDuplicates(files);
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(group?.locations).toEqual([
      { path: "src/a.ts", startLine: 3, endLine: 13 },
      { path: "src/b.ts", startLine: 3, endLine: 13 },
    ]);
    expect(group?.excerpt).toContain("export function parseEnv");
    expect(group?.tokens).toBeGreaterThan(40);
  });

  it("reports nothing for code that only looks alike in its brackets and blank lines", () => {
    const files = new Map([
      ["a.ts", "function a() {\n  return 1;\n}\n\n}\n}\n}\n"],
      ["b.ts", "function b() {\n  return 2;\n}\n\n}\n}\n}\n"],
    ]);
    expect(findDuplicates(files, { minLines: 2, minTokens: 1 })).toEqual([]);
  });

  it("finds a copy repeated inside one file without counting a block as its own copy", () => {
    const block = parser("first");
    const files = new Map([["one.ts", `${block}\n${block.replace("first", "second")}\n`]]);
    const groups = findDuplicates(files, { minLines: 4, minTokens: 10 });
    expect(groups).toHaveLength(1);
    const locations = groups[0]?.locations ?? [];
    expect(locations.map((location) => location.path)).toEqual(["one.ts", "one.ts"]);
    expect(locations[0]!.endLine).toBeLessThan(locations[1]!.startLine);
  });

  it("ignores copies below the token threshold and keeps the largest groups first", () => {
    const small = "const a = 1;\nconst b = 2;\nconst c = 3;\n";
    const files = new Map([
      ["x.ts", `${small}${parser("big")}`],
      ["y.ts", `${small}\n// spacer\n${parser("big")}`],
      ["z.ts", parser("big")],
    ]);
    const groups = findDuplicates(files, { minLines: 3, minTokens: 30 });
    expect(groups[0]?.locations.map((location) => location.path)).toEqual(["x.ts", "y.ts", "z.ts"]);
    expect(groups.every((group) => group.tokens >= 30)).toBe(true);
  });
});
