import { describe, expect, it } from "vitest";
import { duplicatedLines } from "./duplicated-lines.ts";

describe("duplicatedLines", () => {
  it("counts extra copies of a line within a file, not braces or blank lines", () => {
    const files = new Map([
      [
        "src/index.ts",
        'export { a } from "./a.ts";\nexport { b } from "./b.ts";\nexport { a } from "./a.ts";\nexport { a } from "./a.ts";\n',
      ],
      ["src/a.ts", "export function a() {\n  return 1;\n}\n\nexport function b() {\n  return 2;\n}\n"],
      ["src/b.ts", 'export { a } from "./a.ts";\n'],
    ]);
    expect(duplicatedLines(files)).toEqual({
      count: 2,
      files: [{ path: "src/index.ts", copies: 2, example: 'export { a } from "./a.ts";' }],
    });
  });

  it("finds nothing in files without repeats", () => {
    expect(duplicatedLines(new Map([["README.md", "# x\n\n- a\n- b\n"]]))).toEqual({ count: 0, files: [] });
  });
});
