import type { TestCounts } from "@longshot/core";
import { type DiffFile, type DiffLine, parseDiff } from "./internal/parse-diff.js";
import { isInside, isTestFile } from "./test-files.js";

export type TamperKind =
  | "test-file-deleted"
  | "test-file-renamed"
  | "test-skipped"
  | "test-focused"
  | "assertions-removed"
  | "test-command-weakened"
  | "test-count-zero"
  | "hidden-path-touched";

/**
 * Something in a task's work that makes tests less honest. `reject` sends the work back to the
 * task; `flag` asks the judge to look.
 */
export interface TamperFinding {
  readonly kind: TamperKind;
  readonly severity: "reject" | "flag";
  readonly file: string | null;
  readonly line: number | null;
  readonly detail: string;
}

export interface TamperOptions {
  /** The held-out acceptance test path; touching it is always rejected. */
  readonly hiddenPath?: string | undefined;
  /** Which paths are tests; default `isTestFile`. */
  readonly isTestFile?: (path: string) => boolean;
}

const skipMarkers: readonly RegExp[] = [
  /\b(it|test|describe|suite|context|bench)\.(skip|todo|skipIf|runIf)\s*[(`]/,
  /\b(xit|xtest|xdescribe|xcontext|xspecify)\s*\(/,
  /[{,]\s*(skip|todo)\s*:\s*(true|["'`])/,
  /\b(t|this)\.(skip|todo)\s*\(/,
  /@pytest\.mark\.(skip|skipif|xfail)\b/,
  /\bpytest\.(skip|xfail)\s*\(/,
  /@unittest\.(skip|skipIf|skipUnless|expectedFailure)\b/,
  /\bself\.skipTest\s*\(|\braise\s+(unittest\.)?SkipTest\b/,
  /\bt\.Skip(Now|f)?\s*\(/,
  /#\[ignore\b/,
  /@(Disabled|Ignore)\b/,
];
const focusMarkers: readonly RegExp[] = [
  /\b(it|test|describe|suite|context)\.only\s*\(/,
  /\b(fit|fdescribe|ftest)\s*\(/,
  /[{,]\s*only\s*:\s*true/,
];
const assertion = [
  /\bexpect\s*\(/,
  /\bassert\w*\s*[.(!]/,
  /^\s*assert\s/,
  /\.should\b/,
  /\bt\.(is|not|deepEqual|equal|true|false|throws|assert|ok|notOk)\s*\(/,
  /\b(require|assert)\.\w+\s*\(/,
  /\bt\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(/,
];
const weakTestCommand =
  /\|\|\s*(true|exit 0|:)|--passWithNoTests|--pass-with-no-tests|^\s*(true|exit 0|echo\b[^&|;]*)\s*$/;

/**
 * Reads a task's diff (base to its commit, unified format) for deleted, renamed-away, skipped,
 * focused or weakened tests, a neutered `test` script, and any change under the hidden
 * acceptance path. Returns every finding, most severe first; an empty list means nothing found.
 */
export function inspectDiff(diff: string, options: TamperOptions = {}): TamperFinding[] {
  const isTest = options.isTestFile ?? isTestFile;
  const findings: TamperFinding[] = [];
  for (const file of parseDiff(diff)) {
    const path = file.newPath ?? file.oldPath;
    if (
      options.hiddenPath !== undefined &&
      [file.oldPath, file.newPath].some((p) => p !== null && isInside(p, options.hiddenPath!))
    ) {
      findings.push(
        finding("hidden-path-touched", "reject", path, null, "changes the held-out acceptance tests"),
      );
      continue;
    }
    findings.push(...fileFindings(file, isTest));
  }
  return findings.sort((a, b) => rank(a) - rank(b));
}

function fileFindings(file: DiffFile, isTest: (path: string) => boolean): TamperFinding[] {
  const findings: TamperFinding[] = [];
  const wasTest = file.oldPath !== null && isTest(file.oldPath);
  const isTestNow = file.newPath !== null && isTest(file.newPath);
  if (wasTest && file.newPath === null) {
    findings.push(
      finding("test-file-deleted", "reject", file.oldPath, null, `deletes the test file ${file.oldPath}`),
    );
    return findings;
  }
  if (wasTest && !isTestNow) {
    findings.push(
      finding(
        "test-file-renamed",
        "reject",
        file.newPath,
        null,
        `moves the test file ${file.oldPath} to ${file.newPath}, where it no longer runs`,
      ),
    );
  }
  const path = file.newPath ?? file.oldPath;
  for (const added of file.added) {
    if (focusMarkers.some((pattern) => pattern.test(added.text))) {
      findings.push(
        finding(
          "test-focused",
          "reject",
          path,
          added.line,
          `focuses tests, silently skipping the rest: ${added.text.trim()}`,
        ),
      );
    } else if (skipMarkers.some((pattern) => pattern.test(added.text))) {
      findings.push(
        finding("test-skipped", "reject", path, added.line, `skips a test: ${added.text.trim()}`),
      );
    }
  }
  if (isTestNow || wasTest) {
    const removed = countAssertions(file.removed);
    const added = countAssertions(file.added);
    if (removed > added) {
      findings.push(
        finding(
          "assertions-removed",
          "flag",
          path,
          null,
          `removes ${removed} assertion lines and adds ${added}`,
        ),
      );
    }
  }
  if (path !== null && /(^|\/)package\.json$/.test(path)) findings.push(...testScriptFindings(file, path));
  return findings;
}

function testScriptFindings(file: DiffFile, path: string): TamperFinding[] {
  const script = (line: DiffLine): string | null =>
    /^\s*"test"\s*:\s*"(.*)"\s*,?\s*$/.exec(line.text)?.[1] ?? null;
  const added = file.added
    .map((line) => ({ line, command: script(line) }))
    .filter((entry) => entry.command !== null);
  const removed = file.removed.some((line) => script(line) !== null);
  const findings = added
    .filter((entry) => weakTestCommand.test(entry.command!))
    .map((entry) =>
      finding(
        "test-command-weakened",
        "flag",
        path,
        entry.line.line,
        `test script becomes "${entry.command}"`,
      ),
    );
  if (removed && added.length === 0)
    findings.push(finding("test-command-weakened", "flag", path, null, "removes the test script"));
  return findings;
}

function countAssertions(lines: readonly DiffLine[]): number {
  return lines.filter((line) => assertion.some((pattern) => pattern.test(line.text))).length;
}

/**
 * A test check that used to run tests and now runs none (every test deleted, the runner pointed
 * elsewhere, a filter that matches nothing) is as bad as a failing one.
 */
export function inspectTestCounts(before: TestCounts | null, after: TestCounts | null): TamperFinding | null {
  if (before === null || after === null) return null;
  const ran = (counts: TestCounts): number => counts.passed + counts.failed;
  if (ran(before) > 0 && ran(after) === 0) {
    return finding(
      "test-count-zero",
      "reject",
      null,
      null,
      `the test check ran ${ran(before)} tests before and none now`,
    );
  }
  return null;
}

/** `reject` when any finding rejects, `flag` when any flags, otherwise `clean`. */
export function tamperVerdict(findings: readonly TamperFinding[]): "clean" | "flag" | "reject" {
  if (findings.some((entry) => entry.severity === "reject")) return "reject";
  return findings.length > 0 ? "flag" : "clean";
}

function finding(
  kind: TamperKind,
  severity: "reject" | "flag",
  file: string | null,
  line: number | null,
  detail: string,
): TamperFinding {
  return { kind, severity, file, line, detail };
}

function rank(entry: TamperFinding): number {
  return entry.severity === "reject" ? 0 : 1;
}
