import { Git } from "@longshot/git";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inspectDiff, inspectTestCounts, tamperVerdict } from "./tamper-guard.js";

const mathTest = `import { test } from "node:test";
import assert from "node:assert/strict";
import { add, sub } from "../src/math.js";

test("adds", () => {
  assert.equal(add(1, 2), 3);
  assert.equal(add(-1, 1), 0);
});

test("subtracts", () => {
  assert.equal(sub(3, 2), 1);
});
`;

let repo: TempRepo;
let git: Git;
let base: string;

beforeEach(async () => {
  repo = await createTempRepo({
    files: {
      "package.json": JSON.stringify({ scripts: { test: "node --test test/" } }, null, 2),
      "src/math.js": "export const add = (a, b) => a + b;\nexport const sub = (a, b) => a - b;\n",
      "test/math.test.js": mathTest,
      "test/other.test.js": 'import { test } from "node:test";\ntest("other", () => {});\n',
      "tests/acceptance/spec.test.js": "// hidden\n",
      "tests_py/test_api.py": "import pytest\n\ndef test_api():\n    assert True\n",
    },
  });
  git = new Git(repo.path);
  base = repo.initial;
});

afterEach(async () => {
  await repo.cleanup();
});

async function diffAfter(files: Record<string, string | null>): Promise<string> {
  const head = await repo.commit(files, "task work");
  return git.diff(base, head);
}

/** What inspectDiff finds in a task that changed test/math.test.js into `edit(mathTest)`. */
async function findingsInMathTest(edit: (text: string) => string) {
  return inspectDiff(await diffAfter({ "test/math.test.js": edit(mathTest) }));
}

describe("inspectDiff on real task diffs", () => {
  it("rejects an inserted skip and names the line", async () => {
    const findings = await findingsInMathTest((text) =>
      text.replace('test("subtracts"', 'test.skip("subtracts"'),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: "test-skipped",
        severity: "reject",
        file: "test/math.test.js",
        line: 10,
      }),
    ]);
    expect(tamperVerdict(findings)).toBe("reject");
  });

  it("rejects a deleted test file and a test file moved out of the test layout", async () => {
    const diff = await diffAfter({ "test/other.test.js": null });
    expect(inspectDiff(diff)).toEqual([
      expect.objectContaining({ kind: "test-file-deleted", file: "test/other.test.js", severity: "reject" }),
    ]);
    await repo.git(["mv", "test/math.test.js", "src/math.disabled.js"]);
    const moved = await repo.commit({}, "move");
    expect(inspectDiff(await git.diff(base, moved)).map((finding) => finding.kind)).toContain(
      "test-file-renamed",
    );
  });

  it("catches skips and focus across frameworks", async () => {
    const diff = await diffAfter({
      "test/math.test.js": mathTest
        .replace('test("adds"', 'test.only("adds"')
        .replace('test("subtracts", () => {', 'test("subtracts", { todo: true }, () => {'),
      "tests_py/test_api.py":
        "import pytest\n\n@pytest.mark.skip(reason='flaky')\ndef test_api():\n    assert True\n",
      "pkg/calc_test.go": 'package pkg\nimport "testing"\nfunc TestX(t *testing.T) {\n\tt.Skip("later")\n}\n',
      "src/lib.rs": "#[cfg(test)]\nmod tests {\n    #[test]\n    #[ignore]\n    fn works() {}\n}\n",
      "spec/x.spec.ts": "xit('works', () => {});\ndescribe.skip('all', () => {});\nit.todo('later');\n",
    });
    const kinds = inspectDiff(diff).map((finding) => `${finding.kind}@${finding.file}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "test-focused@test/math.test.js",
        "test-skipped@test/math.test.js",
        "test-skipped@tests_py/test_api.py",
        "test-skipped@pkg/calc_test.go",
        "test-skipped@src/lib.rs",
        "test-skipped@spec/x.spec.ts",
      ]),
    );
    expect(kinds.filter((kind) => kind.endsWith("spec/x.spec.ts"))).toHaveLength(3);
  });

  it("flags removed assertions for the judge without rejecting", async () => {
    const findings = await findingsInMathTest((text) => text.replace("  assert.equal(add(-1, 1), 0);\n", ""));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: "assertions-removed",
        severity: "flag",
        detail: "removes 1 assertion lines and adds 0",
      }),
    ]);
    expect(tamperVerdict(findings)).toBe("flag");
  });

  it("flags a neutered test script", async () => {
    const diff = await diffAfter({
      "package.json": JSON.stringify({ scripts: { test: "node --test test/ || true" } }, null, 2),
    });
    expect(inspectDiff(diff)).toEqual([
      expect.objectContaining({ kind: "test-command-weakened", file: "package.json" }),
    ]);
  });

  it("rejects any change under the hidden acceptance path", async () => {
    const diff = await diffAfter({ "tests/acceptance/spec.test.js": "// rewritten\n" });
    expect(inspectDiff(diff, { hiddenPath: "tests/acceptance/" })).toEqual([
      expect.objectContaining({ kind: "hidden-path-touched", severity: "reject" }),
    ]);
  });

  it("finds nothing in honest work, including new tests and code changes", async () => {
    const diff = await diffAfter({
      "src/math.js":
        "export const add = (a, b) => a + b;\nexport const sub = (a, b) => a - b;\nexport const mul = (a, b) => a * b;\n",
      "test/mul.test.js":
        'import { test } from "node:test";\nimport assert from "node:assert";\ntest("mul", () => assert.equal(2 * 2, 4));\n',
    });
    expect(inspectDiff(diff)).toEqual([]);
    expect(tamperVerdict([])).toBe("clean");
  });
});

describe("inspectTestCounts", () => {
  it("rejects a test check that ran tests before and none now", () => {
    expect(
      inspectTestCounts({ passed: 12, failed: 0, skipped: 0 }, { passed: 0, failed: 0, skipped: 3 }),
    ).toMatchObject({
      kind: "test-count-zero",
      severity: "reject",
    });
    expect(
      inspectTestCounts({ passed: 12, failed: 0, skipped: 0 }, { passed: 11, failed: 0, skipped: 0 }),
    ).toBeNull();
    expect(inspectTestCounts(null, { passed: 0, failed: 0, skipped: 0 })).toBeNull();
  });
});
