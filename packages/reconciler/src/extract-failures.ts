import type { HealthCheck } from "@longshot/core";
import type { Failure } from "./failure.js";
import { outputLines } from "./internal/ansi.js";
import { failureContext, filesNamed } from "./internal/failure-context.js";
import { fingerprintOf, normalizeMessage, normalizeTestName } from "./normalize.js";
import { isRunnerSummary } from "./test-counts.js";

interface Found {
  readonly file: string | null;
  readonly test: string | null;
  readonly code: string | null;
  readonly message: string;
}

type Rule = (line: string, index: number, lines: readonly string[]) => Found | null;

const source = String.raw`[\w@.\/\\-]+\.(?:[cm]?[jt]sx?|py|go|rs|c|cc|cpp|h|hpp|java|kt|rb|php|cs|swift|vue|svelte)`;

const found = (file: string | null, test: string | null, code: string | null, message: string): Found => ({
  file,
  test,
  code,
  message,
});

const specific: readonly Rule[] = [
  // tsc: src/a.ts(3,7): error TS2322: … | src/a.ts:3:7 - error TS2322: …
  (line) => {
    const match = new RegExp(
      String.raw`^\s*(${source})(?:\(\d+,\d+\)|:\d+:\d+)\s*[:-]\s*error (TS\d+): (.*)$`,
    ).exec(line);
    return match === null ? null : found(match[1]!, null, match[2]!, match[3]!);
  },
  // rustc: error[E0308]: mismatched types  /  --> src/main.rs:3:5
  (line, index, lines) => {
    const match = /^error\[(E\d+)\]: (.*)$/.exec(line);
    if (match === null) return null;
    const at = lines.slice(index + 1, index + 4).find((next) => /^\s*--> /.test(next));
    const file = at === undefined ? null : (/-->\s*([^:]+):/.exec(at)?.[1] ?? null);
    return found(file, null, match[1]!, match[2]!);
  },
  // vitest: FAIL  src/x.test.ts > suite > name
  (line) => {
    const match = /^\s*(?:FAIL|×|✗)\s+(\S+\.\w+)\s+>\s+(.+)$/.exec(line);
    return match === null
      ? null
      : found(match[1]!, match[2]!.replace(/\s+>\s+/g, " > "), null, "test failed");
  },
  // jest: ● suite › name   (file from the closest FAIL line above)
  (line, index, lines) => {
    const match = /^\s*● (.+ › .+|[^›]+)$/.exec(line);
    if (match === null || /Console|Test suite failed to run/.test(match[1]!)) return null;
    const header = lines.slice(0, index).findLast((entry) => /^\s*FAIL\s+\S+/.test(entry));
    const file = header === undefined ? null : (/FAIL\s+(\S+)/.exec(header)?.[1] ?? null);
    return found(file, match[1]!.replace(/\s+›\s+/g, " > "), null, "test failed");
  },
  // pytest: FAILED tests/test_x.py::test_name - AssertionError: …
  (line) => {
    const match = /^(?:FAILED|ERROR) ([^\s:]+\.py)(?:::(\S+))?(?: - (.*))?$/.exec(line);
    return match === null
      ? null
      : found(match[1]!, match[2] ?? null, null, (match[3] ?? "failed").split(":")[0]!);
  },
  // node:test TAP: not ok 3 - name
  (line, index, lines) => {
    const match = /^\s*not ok \d+ - (.+?)(?:\s+# .*)?$/.exec(line);
    if (match === null) return null;
    const location = lines
      .slice(index + 1, index + 12)
      .map((next) => /^\s*location: '?([^':]+):\d+:\d+'?/.exec(next)?.[1])
      .find((path) => path !== undefined);
    return found(location ?? null, match[1]!, null, "test failed");
  },
  // node:test spec: ✖ name (1.2ms)   (not the "failing tests:" heading)
  (line, index, lines) => {
    const match = /^\s*✖ (.+?)\s*(?:\(\d+(?:\.\d+)?m?s\))?$/.exec(line);
    if (match === null || /failing tests:?$/.test(match[1]!)) return null;
    const heading = lines.findIndex((entry) => /^\s*✖ failing tests:?\s*$/.test(entry));
    if (heading >= 0 && index < heading) return null;
    const at = lines.slice(Math.max(0, index - 2), index).findLast((prev) => /^\s*test at /.test(prev));
    const file = at === undefined ? null : (/test at (.+?):\d+:\d+/.exec(at)?.[1] ?? null);
    return found(file, match[1]!, null, "test failed");
  },
  // go test: --- FAIL: TestName (0.00s)  followed by   file_test.go:12: message
  (line, index, lines) => {
    const match = /^\s*--- FAIL: (\S+)/.exec(line);
    if (match === null) return null;
    const detail = /^\s+([\w./-]+_test\.go):\d+: (.*)$/.exec(lines[index + 1] ?? "");
    return found(detail?.[1] ?? null, match[1]!, null, detail?.[2] ?? "test failed");
  },
  // cargo test: test tests::name ... FAILED
  (line) => {
    const match = /^test (\S+) \.\.\. FAILED$/.exec(line);
    return match === null ? null : found(null, match[1]!, null, "test failed");
  },
  // eslint stylish:   3:7  error  'x' is defined but never used  no-unused-vars   (file on a header line)
  (line, index, lines) => {
    const match = /^\s+\d+:\d+\s+error\s+(.+?)\s{2,}([\w@/-]+)\s*$/.exec(line);
    if (match === null) return null;
    const header = lines
      .slice(0, index)
      .findLast((entry) => new RegExp(`^(/|\\w).*${source}$`).test(entry.trim()));
    return found(header?.trim() ?? null, null, match[2]!, match[1]!);
  },
  // biome: src/a.ts:3:7 lint/suspicious/noDebugger ━━━
  (line) => {
    const match = new RegExp(String.raw`^(${source}):\d+:\d+ ((?:lint|parse|format)[\w/]*)`).exec(line);
    return match === null ? null : found(match[1]!, null, match[2]!, match[2]!);
  },
];

/** Used only when no specific rule matched anything (a runner's own lines say more). */
const generic: readonly Rule[] = [
  // gcc, clang, go build and most others: file:line:col: [error:] message
  (line) => {
    const match = new RegExp(
      String.raw`^\s*(?:\./)?(${source}):\d+(?::\d+)?:\s*(?:(?:fatal )?error:\s*)?(.+)$`,
    ).exec(line);
    if (match === null || /^\s*(warning|note):/.test(match[2]!)) return null;
    return found(match[1]!, null, null, match[2]!);
  },
];

/** Most failures taken from one check; the rest surface in later sweeps as these are fixed. */
const maxPerCheck = 20;

/**
 * Splits a failed check's output into distinct failures (compiler errors, lint errors, failing
 * tests across common tools), each fingerprinted. When nothing is recognised, one failure for the
 * check carries the most telling error line. `root` is the checkout path, stripped from paths.
 */
export function extractFailures(check: HealthCheck, output: string, root?: string): Failure[] {
  if (check.ok) return [];
  const lines = outputLines(output);
  const byFingerprint = collect(check, lines, specific, root);
  if (byFingerprint.size === 0)
    for (const [key, value] of collect(check, lines, generic, root)) byFingerprint.set(key, value);
  if (byFingerprint.size === 0) {
    const found = fallback(lines, check);
    const at = found.file === null ? -1 : lines.findIndex((line) => line.includes(found.file!));
    return [toFailure(check, found, root, lines, at, () => false)];
  }
  return [...byFingerprint.values()];
}

function collect(
  check: HealthCheck,
  lines: readonly string[],
  rules: readonly Rule[],
  root: string | undefined,
): Map<string, Failure> {
  const byFingerprint = new Map<string, Failure>();
  const isHeader = (line: string, index: number): boolean =>
    rules.some((rule) => rule(line, index, lines) !== null);
  for (const [index, line] of lines.entries()) {
    for (const rule of rules) {
      const hit = rule(line, index, lines);
      if (hit === null) continue;
      const failure = toFailure(check, hit, root, lines, index, isHeader);
      if (!byFingerprint.has(failure.fingerprint)) byFingerprint.set(failure.fingerprint, failure);
      break;
    }
    if (byFingerprint.size >= maxPerCheck) break;
  }
  return byFingerprint;
}

function toFailure(
  check: HealthCheck,
  hit: Found,
  root: string | undefined,
  lines: readonly string[],
  index: number,
  isHeader: (line: string, index: number) => boolean,
): Failure {
  const relative = hit.file === null ? null : relativePath(hit.file, root);
  // An absolute path outside the checkout (a temp dir, a global install) would change every run.
  const file = relative === null || relative.startsWith("/") ? null : relative;
  const test = hit.test === null ? null : normalizeTestName(hit.test);
  const message = normalizeMessage(hit.message, root);
  const context =
    index < 0
      ? { files: file === null ? filesNamed(hit.message, root) : [file], cause: null }
      : failureContext(lines, index, file, root, isHeader);
  return {
    fingerprint: fingerprintOf({ check: check.name, file, test, code: hit.code, message }),
    check: check.name,
    command: check.command,
    file,
    test,
    code: hit.code,
    message,
    files: context.files,
    cause: context.cause,
    excerpt: check.excerpt,
  };
}

const packageManagerNoise =
  /^\s*at |^npm (ERR!|error|warn|notice)|ELIFECYCLE|^\s*(yarn|pnpm|bun) run v|^error Command failed with exit code|^info Visit/;

/**
 * The most telling line: the last error-looking line, else the last line, never a test runner's
 * summary (`Test Files  3 failed (3)` says nothing a fix could act on); file from a stack frame.
 */
function fallback(lines: readonly string[], check: HealthCheck): Found {
  const meaningful = lines.filter(
    (line) => line.trim() !== "" && !packageManagerNoise.test(line) && !isRunnerSummary(line),
  );
  const errorLine =
    meaningful.findLast((line) => /\b(error|Error|ERROR|failed|FAILED|panic)\b/.test(line)) ??
    meaningful.at(-1) ??
    `${check.name} failed`;
  const frame = lines
    .map((line) => new RegExp(String.raw`\(?((?:/|\./)?${source}):\d+:\d+\)?\s*$`).exec(line)?.[1])
    .find((path) => path !== undefined && !path.includes("node_modules") && !path.startsWith("node:"));
  return found(frame ?? null, null, null, errorLine.trim());
}

function relativePath(path: string, root: string | undefined): string {
  let relative = path.replace(/\\/g, "/");
  if (root !== undefined && root !== "" && relative.startsWith(`${root.replace(/\/$/, "")}/`)) {
    relative = relative.slice(root.replace(/\/$/, "").length + 1);
  }
  return relative.replace(/^\.\//, "");
}
