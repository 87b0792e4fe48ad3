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

/** Entries (file lists, search matches) outside the hidden path. */
export function withoutHidden<T>(
  entries: readonly T[],
  hiddenPath: string,
  pathOf: (entry: T) => string,
): T[] {
  return entries.filter((entry) => !isInside(pathOf(entry), hiddenPath));
}

/**
 * The command that runs the hidden tests when none is configured, from the repository's
 * probed files (see `probedFiles`) and the hidden files themselves: pytest for Python, go test
 * for Go, cargo for Rust, the JavaScript runner the package depends on (vitest, jest, mocha),
 * else `node --test`.
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
  return `node --test ${quoted}`;
}
