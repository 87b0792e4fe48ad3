import { describe, expect, it } from "vitest";
import { isInScope, outOfScope } from "./scope.js";

describe("isInScope", () => {
  it("allows everything when the task has no scope", () => {
    expect(isInScope("anything/at/all.ts", [])).toBe(true);
  });

  it("matches directories, files and globs", () => {
    const scope = ["src/api", "README.md", "test/**/*.test.ts", "docs/*.md"];
    expect(isInScope("src/api/users.ts", scope)).toBe(true);
    expect(isInScope("./src/api/deep/x.ts", scope)).toBe(true);
    expect(isInScope("src/apix/users.ts", scope)).toBe(false);
    expect(isInScope("README.md", scope)).toBe(true);
    expect(isInScope("test/unit/a.test.ts", scope)).toBe(true);
    expect(isInScope("test/a.test.ts", scope)).toBe(true);
    expect(isInScope("test/a.ts", scope)).toBe(false);
    expect(isInScope("docs/guide.md", scope)).toBe(true);
    expect(isInScope("docs/sub/guide.md", scope)).toBe(false);
  });

  it("lists the paths outside the scope in order", () => {
    expect(outOfScope(["src/a.ts", "package.json", "lib/b.ts"], ["src/"])).toEqual([
      "package.json",
      "lib/b.ts",
    ]);
  });
});
