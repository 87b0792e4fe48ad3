import type { Failure } from "./failure.js";
import { isTestFile } from "./test-files.js";

/** Causes too common to say that two failures share a root (every assertion says "expected"). */
const generic =
  /^(test failed|failed|error|assertion ?error\b.*|.*\bexpected\b.*|.*\bto (strictly )?(deep )?equal\b.*)$/i;

/** What ties failures to one root: their file, the code their stacks run through, their cause. */
function keysOf(failure: Failure): string[] {
  const keys: string[] = [];
  if (failure.file !== null) keys.push(`file:${failure.file}`);
  for (const file of failure.files) {
    if (file !== failure.file && !isTestFile(file)) keys.push(`file:${file}`);
  }
  // A runtime error shared by failing tests is one bug; the same compiler message in two files
  // is usually two.
  const cause = failure.test === null ? null : failure.cause;
  if (cause !== null && cause.length >= 12 && !generic.test(cause)) keys.push(`cause:${cause}`);
  return keys;
}

/**
 * Groups failures by root cause: failures share a root when they are in the same file, when
 * their stack traces run through the same source file (not a test file), or when failing tests
 * report the same specific error (`TypeError: median is not a function`, not a bare assertion). The
 * grouping is transitive and deterministic: groups come in the order of their first failure,
 * and one fix task per group is enough.
 */
export function rootCauses(failures: readonly Failure[]): Failure[][] {
  const parent = failures.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root]!;
    parent[index] = root;
    return root;
  };
  const owner = new Map<string, number>();
  for (const [index, failure] of failures.entries()) {
    for (const key of keysOf(failure)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else {
        const [a, b] = [find(index), find(other)].sort((x, y) => x - y);
        parent[b!] = a!;
      }
    }
  }
  const groups = new Map<number, Failure[]>();
  for (const [index, failure] of failures.entries()) {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), failure]);
  }
  return [...groups.values()];
}
