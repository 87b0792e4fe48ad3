import { describe, expect, it } from "vitest";
import { parseTestCounts } from "./test-counts.js";

describe("parseTestCounts", () => {
  it("reads vitest's summary through colour codes", () => {
    const output = [
      "\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[31m1 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m2 passed\u001b[39m\u001b[22m\u001b[90m (3)\u001b[39m",
      "\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m2 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m23 passed\u001b[39m\u001b[22m | 1 skipped\u001b[90m (26)\u001b[39m",
    ].join("\n");
    expect(parseTestCounts(output)).toEqual({ passed: 23, failed: 2, skipped: 1 });
  });

  it("reads jest's summary", () => {
    expect(
      parseTestCounts(
        "Test Suites: 1 failed, 1 total\nTests:       1 failed, 2 skipped, 4 passed, 7 total\n",
      ),
    ).toEqual({
      passed: 4,
      failed: 1,
      skipped: 2,
    });
  });

  it("reads node:test's spec and TAP summaries", () => {
    const spec =
      "✔ passes (0.1ms)\nℹ tests 3\nℹ suites 0\nℹ pass 1\nℹ fail 1\nℹ cancelled 0\nℹ skipped 1\nℹ todo 0\n";
    expect(parseTestCounts(spec)).toEqual({ passed: 1, failed: 1, skipped: 1 });
    const tap = "ok 1 - a\n# tests 5\n# pass 5\n# fail 0\n# skipped 0\n# todo 0\n";
    expect(parseTestCounts(tap)).toEqual({ passed: 5, failed: 0, skipped: 0 });
  });

  it("reads pytest's summary, decorated or quiet", () => {
    expect(
      parseTestCounts("==================== 1 failed, 1 passed, 1 skipped in 1.58s ===================="),
    ).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
    });
    expect(
      parseTestCounts("FAILED test_x.py::test_bad - assert 1 == 2\n2 failed, 3 passed, 1 error in 0.37s"),
    ).toEqual({
      passed: 3,
      failed: 3,
      skipped: 0,
    });
    expect(
      parseTestCounts("============================ no tests ran in 0.01s ============================="),
    ).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it("sums cargo's results over test binaries", () => {
    const output = [
      "test result: FAILED. 3 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.00s",
      "test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
    ].join("\n");
    expect(parseTestCounts(output)).toEqual({ passed: 7, failed: 1, skipped: 2 });
  });

  it("counts go test -v results and mocha's summary", () => {
    const go =
      "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- FAIL: TestB (0.00s)\n    --- SKIP: TestB/sub (0.00s)\nFAIL\n";
    expect(parseTestCounts(go)).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(parseTestCounts("  4 passing (12ms)\n  2 pending\n  1 failing\n")).toEqual({
      passed: 4,
      failed: 1,
      skipped: 2,
    });
  });

  it("returns null when no runner summary is present", () => {
    expect(parseTestCounts("build ok\nall good\n")).toBeNull();
  });
});
