import type { HealthCheck } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { extractFailures } from "./extract-failures.js";
import { normalizeMessage } from "./normalize.js";

const failed = (name: HealthCheck["name"], command = `npm run ${name}`): HealthCheck => ({
  name,
  command,
  ok: false,
  durationMs: 10,
  counts: null,
  excerpt: "excerpt",
});

describe("extractFailures", () => {
  it("finds each TypeScript error with file and code, and ignores where in the file it is", () => {
    const first = extractFailures(
      failed("build"),
      "src/math.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\nsrc/a.ts:1:1 - error TS2304: Cannot find name 'foo'.",
    );
    expect(first.map((failure) => [failure.file, failure.code])).toEqual([
      ["src/math.ts", "TS2322"],
      ["src/a.ts", "TS2304"],
    ]);
    const moved = extractFailures(
      failed("build"),
      "src/math.ts(48,12): error TS2322: Type 'string' is not assignable to type 'number'.",
    );
    expect(moved[0]?.fingerprint).toBe(first[0]?.fingerprint);
    expect(first[0]?.fingerprint).toMatch(/^build:[0-9a-f]{12}$/);
  });

  it("gives one fingerprint per failing test, stable across temp paths and durations", () => {
    const run = (root: string, ms: string) =>
      extractFailures(
        failed("test"),
        [
          `TAP version 13`,
          `not ok 1 - adds numbers`,
          `  ---`,
          `  duration_ms: ${ms}`,
          `  location: '${root}/test/math.test.mjs:2:1'`,
          `  error: '2 == 3'`,
        ].join("\n"),
        root,
      );
    const a = run("/tmp/longshot-check-a1b2c3", "2.99");
    const b = run("/tmp/longshot-check-zz9", "7.1");
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ test: "adds numbers", file: "test/math.test.mjs" });
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
  });

  it("reads vitest, jest, pytest, go and cargo failures", () => {
    const vitest = extractFailures(
      failed("test"),
      " FAIL  src/math.test.ts > math > subtracts\nAssertionError: expected 1 to be 2",
    );
    expect(vitest[0]).toMatchObject({ file: "src/math.test.ts", test: "math > subtracts" });
    const jest = extractFailures(
      failed("test"),
      "FAIL src/sum.test.js\n  ● math › subtracts\n\n    expect(received).toBe(expected)",
    );
    expect(jest[0]).toMatchObject({ file: "src/sum.test.js", test: "math > subtracts" });
    const pytest = extractFailures(
      failed("test"),
      "test_x.py:3: AssertionError\n=== short test summary info ===\nFAILED test_x.py::test_bad - assert 1 == 2\n",
    );
    expect(pytest.map((failure) => [failure.file, failure.test])).toEqual([["test_x.py", "test_bad"]]);
    const go = extractFailures(
      failed("test"),
      "--- FAIL: TestAdd (0.00s)\n    math_test.go:12: got 3, want 4\nFAIL",
    );
    expect(go[0]).toMatchObject({ file: "math_test.go", test: "TestAdd", message: "got N, want N" });
    const cargo = extractFailures(failed("test"), "test tests::adds ... FAILED\ntest tests::subs ... ok");
    expect(cargo.map((failure) => failure.test)).toEqual(["tests::adds"]);
  });

  it("reads rustc, eslint and gcc-style errors", () => {
    const rust = extractFailures(
      failed("build"),
      "error[E0308]: mismatched types\n --> src/main.rs:3:5\n  |",
    );
    expect(rust[0]).toMatchObject({ file: "src/main.rs", code: "E0308", message: "mismatched types" });
    const eslint = extractFailures(
      failed("lint"),
      "/repo/src/a.js\n  3:7  error  'x' is assigned a value but never used  no-unused-vars\n",
      "/repo",
    );
    expect(eslint[0]).toMatchObject({ file: "src/a.js", code: "no-unused-vars" });
    const go = extractFailures(failed("build", "go build ./..."), "# app\n./main.go:3:5: undefined: foo\n");
    expect(go[0]).toMatchObject({ file: "main.go", message: "undefined: foo" });
  });

  it("falls back to the most telling error line when the output has no known shape", () => {
    const output = [
      "> app@1.0.0 build",
      "> node check.js",
      "",
      "error: src/math.js does not export subtract (checked at 2026-11-21T10:00:00Z)",
      "npm error Lifecycle script `build` failed with error:",
      "npm error code 1",
    ].join("\n");
    const [failure] = extractFailures(failed("build"), output);
    expect(failure?.message).toBe("error: src/math.js does not export subtract (checked at N-N-NTNZ)");
    const again = extractFailures(failed("build"), output.replace("10:00:00", "11:30:12"));
    expect(again[0]?.fingerprint).toBe(failure?.fingerprint);
  });

  it("never takes a test runner's summary line for the failure", () => {
    const vitest = [
      " FAIL  src/median.test.ts [ src/median.test.ts ]",
      "Error: Failed to load url ./median.ts (resolved id: ./median.ts) in /repo/src/median.test.ts. Does the file exist?",
      "",
      " Test Files  3 failed (3)",
      "      Tests  no tests",
    ].join("\n");
    const [failure] = extractFailures(failed("test"), vitest, "/repo");
    expect(failure?.message).toBe(
      "Error: Failed to load url ./median.ts (resolved id: ./median.ts) in src/median.test.ts. Does the file exist?",
    );
    const node = "✖ failing tests:\nℹ tests 174\nℹ pass 0\nℹ fail 174\n";
    expect(extractFailures(failed("test"), node)[0]?.message).not.toMatch(/fail N|failing tests/);
  });

  it("reads the files of a failure's stack trace and its cause from real node:test output", () => {
    const root = "/tmp/longshot-check-7";
    const output = [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/longshot-check-7/src/median.js' imported from /tmp/longshot-check-7/acceptance/lib.test.mjs",
      "✖ failing tests:",
      "",
      "test at acceptance/lib.test.mjs:1:1",
      "✖ acceptance/lib.test.mjs (91.3ms)",
      "  'test failed'",
      "",
      "test at test/math.test.js:5:1",
      "✖ booms (0.16ms)",
      "  TypeError: boom is broken",
      "      at boom (file:///tmp/longshot-check-7/src/math.js:2:32)",
      "      at TestContext.<anonymous> (file:///tmp/longshot-check-7/test/math.test.js:5:21)",
      "      at Test.runInAsyncScope (node:async_hooks:227:14)",
    ].join("\n");
    const failures = extractFailures(failed("test"), output, root);
    expect(failures.map((failure) => [failure.test, failure.files, failure.cause])).toEqual([
      [
        "acceptance/lib.test.mjs",
        ["acceptance/lib.test.mjs", "src/median.js"],
        "Error [ERR_MODULE_NOT_FOUND]: Cannot find module 'src/median.js' imported from acceptance/lib.test.mjs",
      ],
      ["booms", ["test/math.test.js", "src/math.js"], "TypeError: boom is broken"],
    ]);
  });

  it("returns nothing for a passing check", () => {
    expect(extractFailures({ ...failed("build"), ok: true }, "error: nothing")).toEqual([]);
  });
});

describe("normalizeMessage", () => {
  it("strips numbers, positions, temp paths, hex ids and the checkout root", () => {
    expect(
      normalizeMessage(
        "/work/wt/src/a.ts:12:5 failed after 35ms in /tmp/longshot-x1/y.txt for commit 3fa2c9d1e0 (0x7ffe)",
        "/work/wt",
      ),
    ).toBe("src/a.ts failed after <time> in <tmp> for commit <hex> (<hex>)");
  });
});
