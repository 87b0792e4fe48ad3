import { describe, expect, it } from "vitest";
import { matchesSearchGlob, parseRipgrepLine, ripgrepArgs } from "./ripgrep.js";

describe("ripgrep helpers", () => {
  it("parses match records into workspace-relative matches and ignores the rest", () => {
    const match = JSON.stringify({
      type: "match",
      data: { path: { text: "./src/a.ts" }, lines: { text: "export const a = 1;\r\n" }, line_number: 4 },
    });
    expect(parseRipgrepLine(match)).toEqual({ file: "src/a.ts", line: 4, text: "export const a = 1;" });
    expect(parseRipgrepLine('{"type":"begin","data":{"path":{"text":"a"}}}')).toBeNull();
    expect(parseRipgrepLine('{"type":"match","data":{"path":{"bytes":"AAA="}}}')).toBeNull();
    expect(parseRipgrepLine("not json")).toBeNull();
  });

  it("cuts very long lines", () => {
    const long = JSON.stringify({
      type: "match",
      data: { path: { text: "a" }, lines: { text: "x".repeat(2000) }, line_number: 1 },
    });
    expect(parseRipgrepLine(long)?.text).toHaveLength(501);
  });

  it("builds arguments that search hidden files but never .git, and end options before the pattern target", () => {
    const args = ripgrepArgs("-e", "src", { glob: "*.ts", literal: true, ignoreCase: true });
    expect(args).toEqual(expect.arrayContaining(["--hidden", "!.git", "--fixed-strings", "--ignore-case"]));
    expect(args.slice(-4)).toEqual(["--regexp", "-e", "--", "src"]);
    expect(ripgrepArgs("x", "").at(-1)).toBe(".");
  });

  it("matches globs like ripgrep: by name without a slash, by path with one", () => {
    expect(matchesSearchGlob("src/deep/a.ts", "*.ts")).toBe(true);
    expect(matchesSearchGlob("src/deep/a.ts", "src/*.ts")).toBe(false);
    expect(matchesSearchGlob("src/deep/a.ts", "src/**/*.ts")).toBe(true);
    expect(matchesSearchGlob("src/a.js", "!*.ts")).toBe(true);
  });
});
