import type { Failure } from "./failure.js";
import { isInside, normalizePath } from "./test-files.js";

/**
 * Acceptance tests the user holds out: never in a sandbox, never in a prompt, run only by the
 * reconciler (and the judge) on the integration tree.
 */
export interface HiddenTests {
  /** Repository-relative file or directory, such as `tests/acceptance`. */
  readonly path: string;
  /**
   * Commit holding the trusted copy, normally the run's base commit: the tests are copied from
   * here into the reconciler's checkout at check time, so no task's edits can weaken them.
   */
  readonly source: string;
  /** Command that runs them; detected from the repository and the files when absent. */
  readonly command?: string | undefined;
}

/**
 * Prompt filter: drops every line that names the hidden path (file trees, diffs, search hits,
 * tool output), so no prompt ever mentions it.
 */
export function redactHidden(text: string, hiddenPath: string): string {
  const needle = normalizePath(hiddenPath);
  if (needle === "") return text;
  return text
    .split("\n")
    .filter((line) => !line.replace(/\\/g, "/").includes(needle))
    .join("\n");
}

/** Whether a text names the hidden path anywhere. */
export function mentionsHidden(text: string, hiddenPath: string): boolean {
  const needle = normalizePath(hiddenPath);
  return needle !== "" && text.replace(/\\/g, "/").includes(needle);
}

/**
 * The command that runs the hidden tests when none is configured, from the repository's
 * probed files (see `probedFiles`) and the hidden files themselves: pytest for Python, go test
 * for Go, cargo for Rust, the JavaScript runner the package depends on (vitest, jest, mocha),
 * else `node --test` with a glob of the directory's scripts (Node 22+ expands it).
 */
export function acceptanceCommand(
  files: ReadonlyMap<string, string>,
  hiddenPath: string,
  hiddenFiles: readonly string[],
): string {
  const path = normalizePath(hiddenPath);
  const quoted = `'${path.replace(/'/g, "'\\''")}'`;
  if (hiddenFiles.some((file) => file.endsWith(".py"))) return `python -m pytest ${quoted}`;
  if (hiddenFiles.some((file) => file.endsWith("_test.go"))) return `go test ./${path}/...`;
  if (hiddenFiles.some((file) => file.endsWith(".rs"))) return "cargo test";
  const pkg = files.get("package.json") ?? "";
  const runner = ["vitest", "jest", "mocha"].find((name) => new RegExp(`"${name}"\\s*:`).test(pkg));
  const exec = files.has("pnpm-lock.yaml")
    ? "pnpm exec"
    : files.has("yarn.lock")
      ? "yarn"
      : "npx --no-install";
  if (runner === "vitest") return `${exec} vitest run ${quoted}`;
  if (runner !== undefined) return `${exec} ${runner} ${quoted}`;
  const single = hiddenFiles.length === 1 && normalizePath(hiddenFiles[0]!) === path;
  return single ? `node --test ${quoted}` : `node --test '${path.replace(/'/g, "'\\''")}/**/*.{js,mjs,cjs}'`;
}

/**
 * A failure as a fix task may show it: no file, test name, message or excerpt line that names the
 * hidden path. A failure of the acceptance check itself keeps only its check and a plain message,
 * since its test names and assertions would teach to the hidden tests.
 */
export function concealHidden(failure: Failure, hiddenPath: string): Failure {
  if (failure.check === "acceptance") {
    return {
      ...failure,
      command: "longshot's held-out acceptance tests",
      file: null,
      test: null,
      code: null,
      message: "the held-out acceptance tests fail",
      // The code their stack traces run through is fair to name; the tests themselves are not.
      files: failure.files.filter((file) => !isInside(file, hiddenPath)),
      cause: null,
      excerpt:
        "The held-out acceptance tests fail on the integration branch. Re-read the request and the acceptance criteria and make the behaviour match them.",
    };
  }
  return {
    ...failure,
    file: failure.file !== null && isInside(failure.file, hiddenPath) ? null : failure.file,
    test: failure.test !== null && mentionsHidden(failure.test, hiddenPath) ? null : failure.test,
    message: redactHidden(failure.message, hiddenPath),
    files: failure.files.filter((file) => !isInside(file, hiddenPath)),
    cause: failure.cause !== null && mentionsHidden(failure.cause, hiddenPath) ? null : failure.cause,
    excerpt: redactHidden(failure.excerpt, hiddenPath),
  };
}
