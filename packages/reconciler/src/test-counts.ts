import type { TestCounts } from "@longshot/core";
import { outputLines } from "./internal/ansi.js";

type Parser = (lines: readonly string[]) => TestCounts | null;

const number = (text: string | undefined): number => (text === undefined ? 0 : Number(text));

function pick(line: string, word: RegExp): number {
  const match = new RegExp(`(\\d+)\\s+${word.source}`).exec(line);
  return number(match?.[1]);
}

/** vitest: ` Tests  1 failed | 4 passed | 1 skipped (6)`; jest: `Tests: 1 failed, 4 passed, 6 total`. */
const vitestOrJest: Parser = (lines) => {
  const line = lines.findLast((entry) => /^\s*Tests:?\s+\d+\s+(passed|failed|skipped|todo)/.test(entry));
  if (line === undefined) return null;
  return {
    passed: pick(line, /passed/),
    failed: pick(line, /failed/),
    skipped: pick(line, /skipped/) + pick(line, /todo/),
  };
};

/** node:test, spec reporter (`ℹ pass 4`) or TAP (`# pass 4`). */
const nodeTest: Parser = (lines) => {
  const value = (word: string): number | null => {
    const line = lines.findLast((entry) => new RegExp(`^\\s*(ℹ|#)\\s+${word}\\s+\\d+\\s*$`).test(entry));
    return line === undefined ? null : number(/(\d+)\s*$/.exec(line)?.[1]);
  };
  const passed = value("pass");
  const failed = value("fail");
  if (passed === null || failed === null) return null;
  return { passed, failed, skipped: (value("skipped") ?? 0) + (value("todo") ?? 0) };
};

/** pytest: `==== 1 failed, 4 passed, 1 skipped in 0.12s ====` (or `no tests ran`). */
const pytest: Parser = (lines) => {
  const line = lines.findLast((entry) =>
    /^(=+ )?\d*\s*\b(passed|failed|skipped|error|errors|no tests ran)\b.* in [\d.]+s\b/.test(entry),
  );
  if (line === undefined) return null;
  return {
    passed: pick(line, /passed/) + pick(line, /xpassed/),
    failed: pick(line, /failed/) + pick(line, /errors?/),
    skipped: pick(line, /skipped/) + pick(line, /xfailed/) + pick(line, /deselected/),
  };
};

/** cargo test: one `test result:` line per test binary, summed. */
const cargo: Parser = (lines) => {
  const results = lines.filter((entry) => /^test result: (ok|FAILED)\./.test(entry));
  if (results.length === 0) return null;
  return results.reduce<TestCounts>(
    (sum, line) => ({
      passed: sum.passed + pick(line, /passed/),
      failed: sum.failed + pick(line, /failed/),
      skipped: sum.skipped + pick(line, /ignored/) + pick(line, /filtered out/),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
};

/** go test -v: `--- PASS: TestX`, `--- FAIL: TestY`, `--- SKIP: TestZ` (subtests included). */
const goTest: Parser = (lines) => {
  const count = (word: string): number =>
    lines.filter((entry) => new RegExp(`^\\s*--- ${word}: `).test(entry)).length;
  const counts = { passed: count("PASS"), failed: count("FAIL"), skipped: count("SKIP") };
  return counts.passed + counts.failed + counts.skipped === 0 ? null : counts;
};

/** mocha: `4 passing (12ms)`, `1 failing`, `2 pending`. */
const mocha: Parser = (lines) => {
  const value = (word: string): number | null => {
    const line = lines.findLast((entry) => new RegExp(`^\\s*\\d+ ${word}\\b`).test(entry));
    return line === undefined ? null : number(/(\d+)/.exec(line)?.[1]);
  };
  const passed = value("passing");
  if (passed === null) return null;
  return { passed, failed: value("failing") ?? 0, skipped: value("pending") ?? 0 };
};

const parsers: readonly Parser[] = [vitestOrJest, pytest, cargo, nodeTest, mocha, goTest];

/**
 * Test counts from a runner's summary (vitest, jest, node:test, pytest, cargo test, go test -v,
 * mocha), or null when the output holds no summary this function knows.
 */
export function parseTestCounts(output: string): TestCounts | null {
  const lines = outputLines(output);
  for (const parser of parsers) {
    const counts = parser(lines);
    if (counts !== null) return counts;
  }
  return null;
}

/** Summary lines of the runners `parseTestCounts` knows, and their section headings. */
const summaryLines: readonly RegExp[] = [
  /^\s*(Test Files|Tests|Test Suites|Snapshots|Time|Duration|Start at)\b:?\s/,
  /^\s*(ℹ|#)\s+(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)\b/,
  /^\s*✖ failing tests:?\s*$/,
  /^=+ .*\b(passed|failed|error|errors|skipped|no tests ran)\b.* in [\d.]+s\b.*=*$/,
  /^=+ (FAILURES|ERRORS|short test summary info) =+$/,
  /^test result: (ok|FAILED)\./,
  /^\s*\d+ (passing|failing|pending)\b/,
  /^(FAIL|ok)\s+\S+\s+[\d.]+s$/,
  /^(FAIL|PASS)$/,
];

/** Whether a line is a test runner's summary (counts, durations, headings), not a failure. */
export function isRunnerSummary(line: string): boolean {
  const plain = outputLines(line)[0] ?? line;
  return summaryLines.some((pattern) => pattern.test(plain));
}
