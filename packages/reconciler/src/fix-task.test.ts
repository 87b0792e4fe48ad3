import { describe, expect, it } from "vitest";
import type { Failure } from "./failure.js";
import { fixTaskSpec, fixTitle } from "./fix-task.js";

function failure(overrides: Partial<Failure>): Failure {
  return {
    fingerprint: "test:000000000001",
    check: "test",
    command: "node --test",
    file: null,
    test: null,
    code: null,
    message: "test failed",
    files: [],
    cause: null,
    excerpt: "output",
    ...overrides,
  };
}

describe("fix task specs", () => {
  it("name one root cause by what went wrong and where, never by a runner's summary", () => {
    const tests = [
      failure({
        file: "test/a.test.js",
        test: "adds",
        cause: "TypeError: add is broken",
        files: ["test/a.test.js", "src/math.js"],
      }),
      failure({
        fingerprint: "test:2",
        file: "test/b.test.js",
        test: "sums",
        cause: "TypeError: add is broken",
      }),
    ] as const;
    expect(fixTitle(tests)).toBe(
      "Fix test: TypeError: add is broken (2 failing tests in test/a.test.js and 1 more)",
    );
    const summary = failure({ check: "test", message: "Test Files N failed (N)" });
    expect(fixTitle([summary])).toBe("Fix test: the check fails");
    const compile = failure({
      check: "build",
      code: "TS2322",
      message: "Type 'string' is not assignable",
      file: "src/a.ts",
    });
    expect(fixTitle([compile])).toBe("Fix build: TS2322 Type 'string' is not assignable in src/a.ts");
  });

  it("draw the scope from the failures' files and stacks and the culprit's diff, and never leave it empty", () => {
    const [first, second] = [
      failure({ file: "test/a.test.js", test: "adds", files: ["test/a.test.js", "src/math.js"] }),
      failure({
        fingerprint: "test:2",
        file: "test/b.test.js",
        test: "sums",
        files: ["test/b.test.js", "src/math.js"],
      }),
    ];
    const spec = fixTaskSpec([first!, second!], null, ["src/math.js", "src/index.js"], 1);
    expect(spec.scope).toEqual(["test/a.test.js", "src/math.js", "test/b.test.js", "src/index.js"]);
    // A failure that names no file (a held-out test, say) with no culprit known.
    const bare = fixTaskSpec([failure({ check: "acceptance" })], null, [], 1, ["src/median.js"]);
    expect(bare.scope).toEqual(["src/median.js"]);
  });
});
