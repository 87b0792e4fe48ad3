const testPath = [
  /(^|\/)(__tests__|__test__|tests?|specs?|e2e)\//,
  /\.(test|spec|e2e)\.[cm]?[jt]sx?$/,
  /(^|\/)test_[^/]*\.py$/,
  /_test\.py$/,
  /(^|\/)conftest\.py$/,
  /_test\.go$/,
  /Tests?\.(java|kt|cs)$/,
  /_spec\.rb$/,
];

/** Whether a repository path looks like a test file in any of the common layouts. */
export function isTestFile(path: string): boolean {
  return testPath.some((pattern) => pattern.test(path));
}

/** Whether `path` is `hiddenPath` itself or lies inside it (both repository-relative). */
export function isInside(path: string, hiddenPath: string): boolean {
  const root = normalizePath(hiddenPath);
  const candidate = normalizePath(path);
  return root !== "" && (candidate === root || candidate.startsWith(`${root}/`));
}

/** A repository-relative path with `/` separators and no leading `./` or trailing `/`. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/\/+$/, "")
    .replace(/\/{2,}/g, "/");
}
