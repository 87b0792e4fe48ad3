import { describe, expect, it } from "vitest";
import { scopeEntriesOverlap, scopesOverlap } from "./scopes-overlap.js";

describe("scopeEntriesOverlap", () => {
  it.each([
    ["src/a.ts", "src/a.ts", true],
    ["./src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/b.ts", false],
    ["src/**", "src/db/schema.ts", true],
    ["src/db/", "src/db/schema.ts", true],
    ["src/db/*.ts", "src/db/schema.ts", true],
    ["src/db/*.ts", "src/db/nested/schema.ts", false],
    ["src/{api,db}/index.ts", "src/db/index.ts", true],
    ["src/{api,db}/index.ts", "src/web/index.ts", false],
    ["src/**/*.test.ts", "src/a/b/c.test.ts", true],
    ["src/**/*.test.ts", "src/a/b/c.ts", false],
    ["src/**", "src/db/*.ts", true],
    ["src/api/*.ts", "src/db/*.ts", false],
    ["**/*.md", "docs/*.txt", true],
  ])("%s vs %s → %s", (left, right, expected) => {
    expect(scopeEntriesOverlap(left, right)).toBe(expected);
    expect(scopeEntriesOverlap(right, left)).toBe(expected);
  });

  it("names the first overlapping pair of two scopes", () => {
    expect(scopesOverlap(["README.md", "src/api/**"], ["src/db/x.ts", "src/api/routes.ts"])).toEqual({
      left: "src/api/**",
      right: "src/api/routes.ts",
    });
    expect(scopesOverlap(["src/a.ts"], ["src/b.ts"])).toBeUndefined();
  });
});
