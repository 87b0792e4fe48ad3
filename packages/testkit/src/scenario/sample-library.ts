/** One module of the sample library: a small function, its implementation and its tests. */
export interface SampleModule {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly test: string;
}

function module(name: string, summary: string, body: string, cases: readonly string[]): SampleModule {
  const test = [
    'import assert from "node:assert/strict";',
    'import { test } from "node:test";',
    `import { ${name} } from "./${name}.ts";`,
    "",
    `test("${name}", () => {`,
    ...cases.map((line) => `  ${line}`),
    "});",
    "",
  ].join("\n");
  return { name, summary, source: `${body.trim()}\n`, test };
}

/**
 * The sample library the demo and the end-to-end tests build: real TypeScript modules with
 * real tests (node:test, run by Node's own type stripping, so no install step is needed).
 */
export const sampleModules: readonly SampleModule[] = [
  module(
    "clamp",
    "Limits a number to a range.",
    `
export function clamp(value: number, min: number, max: number): number {
  if (min > max) throw new RangeError("min must not exceed max");
  return Math.min(max, Math.max(min, value));
}`,
    [
      "assert.equal(clamp(5, 0, 3), 3);",
      "assert.equal(clamp(-1, 0, 3), 0);",
      "assert.throws(() => clamp(1, 3, 0));",
    ],
  ),
  module(
    "sum",
    "Adds numbers.",
    `
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}`,
    ["assert.equal(sum([1, 2, 3]), 6);", "assert.equal(sum([]), 0);"],
  ),
  module(
    "mean",
    "Arithmetic mean.",
    `
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of nothing");
  return values.reduce((total, value) => total + value, 0) / values.length;
}`,
    ["assert.equal(mean([1, 2, 3, 4]), 2.5);", "assert.throws(() => mean([]));"],
  ),
  module(
    "median",
    "Middle value.",
    `
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}`,
    ["assert.equal(median([3, 1, 2]), 2);", "assert.equal(median([4, 1, 3, 2]), 2.5);"],
  ),
  module(
    "range",
    "Integers from start to end.",
    `
export function range(start: number, end: number, step = 1): number[] {
  if (step === 0) throw new RangeError("step must not be 0");
  const result: number[] = [];
  for (let value = start; step > 0 ? value < end : value > end; value += step) result.push(value);
  return result;
}`,
    ["assert.deepEqual(range(0, 4), [0, 1, 2, 3]);", "assert.deepEqual(range(3, 0, -1), [3, 2, 1]);"],
  ),
  module(
    "chunk",
    "Splits an array into chunks.",
    `
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new RangeError("size must be at least 1");
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}`,
    ["assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);"],
  ),
  module(
    "unique",
    "Removes duplicates, keeping order.",
    `
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}`,
    ["assert.deepEqual(unique([1, 2, 1, 3, 2]), [1, 2, 3]);"],
  ),
  module(
    "flatten",
    "Flattens one level.",
    `
export function flatten<T>(items: readonly (T | readonly T[])[]): T[] {
  return items.flatMap((item) => (Array.isArray(item) ? [...(item as readonly T[])] : [item as T]));
}`,
    ["assert.deepEqual(flatten([1, [2, 3], 4]), [1, 2, 3, 4]);"],
  ),
  module(
    "zip",
    "Pairs two arrays.",
    `
export function zip<A, B>(left: readonly A[], right: readonly B[]): [A, B][] {
  const length = Math.min(left.length, right.length);
  return Array.from({ length }, (_, index) => [left[index]!, right[index]!]);
}`,
    ['assert.deepEqual(zip([1, 2, 3], ["a", "b"]), [[1, "a"], [2, "b"]]);'],
  ),
  module(
    "partition",
    "Splits by a predicate.",
    `
export function partition<T>(items: readonly T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}`,
    ["assert.deepEqual(partition([1, 2, 3, 4], (n) => n % 2 === 0), [[2, 4], [1, 3]]);"],
  ),
  module(
    "groupBy",
    "Groups items by a key.",
    `
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const item of items) (groups[key(item)] ??= []).push(item);
  return groups;
}`,
    ['assert.deepEqual(groupBy(["ant", "bee", "ape"], (w) => w[0]!), { a: ["ant", "ape"], b: ["bee"] });'],
  ),
  module(
    "capitalize",
    "Upper-cases the first letter.",
    `
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}`,
    ['assert.equal(capitalize("hello"), "Hello");', 'assert.equal(capitalize(""), "");'],
  ),
  module(
    "slugify",
    "URL-friendly slug.",
    `
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}`,
    [
      'assert.equal(slugify("Hello, World!"), "hello-world");',
      'assert.equal(slugify("  Crème brûlée "), "creme-brulee");',
    ],
  ),
  module(
    "camelCase",
    "camelCase from words.",
    `
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase())).join("");
}`,
    [
      'assert.equal(camelCase("hello big world"), "helloBigWorld");',
      'assert.equal(camelCase("API-key"), "apiKey");',
    ],
  ),
  module(
    "kebabCase",
    "kebab-case from words.",
    `
export function kebabCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
    .join("-");
}`,
    [
      'assert.equal(kebabCase("helloBigWorld"), "hello-big-world");',
      'assert.equal(kebabCase("Some Title"), "some-title");',
    ],
  ),
  module(
    "truncate",
    "Shortens text with an ellipsis.",
    `
export function truncate(text: string, length: number): string {
  if (length < 1) throw new RangeError("length must be at least 1");
  return text.length <= length ? text : \`\${text.slice(0, length - 1)}…\`;
}`,
    ['assert.equal(truncate("abcdef", 4), "abc…");', 'assert.equal(truncate("abc", 4), "abc");'],
  ),
  module(
    "countWords",
    "Counts words.",
    `
export function countWords(text: string): number {
  return text.split(/\\s+/).filter(Boolean).length;
}`,
    ['assert.equal(countWords(" one two  three "), 3);', 'assert.equal(countWords(""), 0);'],
  ),
  module(
    "reverseWords",
    "Reverses word order.",
    `
export function reverseWords(text: string): string {
  return text.split(/\\s+/).filter(Boolean).reverse().join(" ");
}`,
    ['assert.equal(reverseWords("a b c"), "c b a");'],
  ),
  module(
    "isPalindrome",
    "Reads the same backwards.",
    `
export function isPalindrome(text: string): boolean {
  const letters = text.toLowerCase().replace(/[^a-z0-9]/g, "");
  return letters === [...letters].reverse().join("");
}`,
    [
      'assert.equal(isPalindrome("A man, a plan, a canal: Panama"), true);',
      'assert.equal(isPalindrome("longshot"), false);',
    ],
  ),
  module(
    "gcd",
    "Greatest common divisor.",
    `
export function gcd(a: number, b: number): number {
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}`,
    ["assert.equal(gcd(12, 18), 6);", "assert.equal(gcd(7, 0), 7);"],
  ),
  module(
    "lcm",
    "Least common multiple.",
    `
export function lcm(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return Math.abs(a * b) / x;
}`,
    ["assert.equal(lcm(4, 6), 12);", "assert.equal(lcm(0, 5), 0);"],
  ),
  module(
    "isPrime",
    "Primality test.",
    `
export function isPrime(value: number): boolean {
  if (!Number.isInteger(value) || value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) if (value % divisor === 0) return false;
  return true;
}`,
    [
      "assert.equal(isPrime(97), true);",
      "assert.equal(isPrime(91), false);",
      "assert.equal(isPrime(1), false);",
    ],
  ),
  module(
    "fibonacci",
    "n-th Fibonacci number.",
    `
export function fibonacci(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a natural number");
  let [a, b] = [0, 1];
  for (let index = 0; index < n; index++) [a, b] = [b, a + b];
  return a;
}`,
    ["assert.equal(fibonacci(10), 55);", "assert.equal(fibonacci(0), 0);"],
  ),
  module(
    "factorial",
    "n factorial.",
    `
export function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a natural number");
  let result = 1;
  for (let value = 2; value <= n; value++) result *= value;
  return result;
}`,
    ["assert.equal(factorial(5), 120);", "assert.equal(factorial(0), 1);"],
  ),
  module(
    "roundTo",
    "Rounds to decimal places.",
    `
export function roundTo(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}`,
    ["assert.equal(roundTo(3.14159, 2), 3.14);", "assert.equal(roundTo(2.5, 0), 3);"],
  ),
  module(
    "percent",
    "Share as a percentage.",
    `
export function percent(part: number, whole: number): number {
  if (whole === 0) throw new RangeError("whole must not be 0");
  return (part / whole) * 100;
}`,
    ["assert.equal(percent(1, 4), 25);", "assert.throws(() => percent(1, 0));"],
  ),
  module(
    "pick",
    "Copies chosen keys.",
    `
export function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const result = {} as Pick<T, K>;
  for (const key of keys) if (key in value) result[key] = value[key];
  return result;
}`,
    ['assert.deepEqual(pick({ a: 1, b: 2, c: 3 }, ["a", "c"]), { a: 1, c: 3 });'],
  ),
  module(
    "omit",
    "Copies all but some keys.",
    `
export function omit<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Omit<T, K> {
  const result = { ...value };
  for (const key of keys) delete result[key];
  return result;
}`,
    ['assert.deepEqual(omit({ a: 1, b: 2, c: 3 }, ["b"]), { a: 1, c: 3 });'],
  ),
  module(
    "deepEqual",
    "Structural equality.",
    `
export function deepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key) => deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}`,
    [
      "assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);",
      "assert.equal(deepEqual([1], { 0: 1 }), false);",
    ],
  ),
  module(
    "invert",
    "Swaps keys and values.",
    `
export function invert(value: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [inner, key]));
}`,
    ['assert.deepEqual(invert({ a: "x", b: "y" }), { x: "a", y: "b" });'],
  ),
  module(
    "debounceTime",
    "Collapses bursts of timestamps.",
    `
export function debounceTime(times: readonly number[], gap: number): number[] {
  const result: number[] = [];
  for (const time of [...times].sort((a, b) => a - b)) {
    if (result.length === 0 || time - result[result.length - 1]! > gap) result.push(time);
  }
  return result;
}`,
    ["assert.deepEqual(debounceTime([0, 10, 20, 100, 105], 50), [0, 100]);"],
  ),
  module(
    "wordWrap",
    "Wraps text to a width.",
    `
export function wordWrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : \`\${line} \${word}\`;
  }
  if (line !== "") lines.push(line);
  return lines;
}`,
    ['assert.deepEqual(wordWrap("the quick brown fox", 10), ["the quick", "brown fox"]);'],
  ),
  module(
    "parseQuery",
    "Parses a query string.",
    `
export function parseQuery(query: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of query.replace(/^\\?/, "").split("&").filter(Boolean)) {
    const [key = "", value = ""] = part.split("=");
    result[decodeURIComponent(key)] = decodeURIComponent(value.replace(/\\+/g, " "));
  }
  return result;
}`,
    ['assert.deepEqual(parseQuery("?a=1&b=hello+world"), { a: "1", b: "hello world" });'],
  ),
  module(
    "formatBytes",
    "Human-readable sizes.",
    `
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return \`\${unit === 0 ? value : value.toFixed(1)} \${units[unit]}\`;
}`,
    ['assert.equal(formatBytes(512), "512 B");', 'assert.equal(formatBytes(1536), "1.5 KB");'],
  ),
  module(
    "levenshtein",
    "Edit distance.",
    `
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}`,
    ['assert.equal(levenshtein("kitten", "sitting"), 3);', 'assert.equal(levenshtein("", "abc"), 3);'],
  ),
  module(
    "romanNumeral",
    "Integer to Roman numerals.",
    `
export function romanNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 3999) throw new RangeError("1 to 3999 only");
  const table: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let rest = value;
  let result = "";
  for (const [amount, letters] of table) {
    while (rest >= amount) {
      result += letters;
      rest -= amount;
    }
  }
  return result;
}`,
    ['assert.equal(romanNumeral(1994), "MCMXCIV");', "assert.throws(() => romanNumeral(0));"],
  ),
  module(
    "toBinary",
    "Integer to binary text.",
    `
export function toBinary(value: number): string {
  if (!Number.isInteger(value) || value < 0) throw new RangeError("natural numbers only");
  return value.toString(2);
}`,
    ['assert.equal(toBinary(10), "1010");'],
  ),
  module(
    "hexToRgb",
    "Parses #rrggbb colours.",
    `
export function hexToRgb(hex: string): [number, number, number] {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new SyntaxError(\`not a colour: \${hex}\`);
  return [Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16), Number.parseInt(match[3]!, 16)];
}`,
    ['assert.deepEqual(hexToRgb("#ff8000"), [255, 128, 0]);', 'assert.throws(() => hexToRgb("red"));'],
  ),
  module(
    "memoize",
    "Caches a one-argument function.",
    `
export function memoize<A, R>(fn: (argument: A) => R): (argument: A) => R {
  const cache = new Map<A, R>();
  return (argument) => {
    if (!cache.has(argument)) cache.set(argument, fn(argument));
    return cache.get(argument)!;
  };
}`,
    [
      "let calls = 0;",
      "const square = memoize((n: number) => { calls++; return n * n; });",
      "assert.equal(square(4) + square(4), 32);",
      "assert.equal(calls, 1);",
    ],
  ),
  module(
    "escapeHtml",
    "Escapes HTML special characters.",
    `
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);
}`,
    ['assert.equal(escapeHtml("<a href=\\"x\\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");'],
  ),
  module(
    "sortBy",
    "Sorts by a numeric key.",
    `
export function sortBy<T>(items: readonly T[], key: (item: T) => number): T[] {
  return [...items].sort((a, b) => key(a) - key(b));
}`,
    [
      "assert.deepEqual(sortBy([3, 1, 2], (n) => n), [1, 2, 3]);",
      'assert.deepEqual(sortBy(["bb", "a"], (s) => s.length), ["a", "bb"]);',
    ],
  ),
  module(
    "countBy",
    "Counts items by a key.",
    `
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}`,
    ['assert.deepEqual(countBy(["a", "b", "a"], (s) => s), { a: 2, b: 1 });'],
  ),
  module(
    "intersection",
    "Items in both arrays.",
    `
export function intersection<T>(left: readonly T[], right: readonly T[]): T[] {
  const other = new Set(right);
  return [...new Set(left)].filter((item) => other.has(item));
}`,
    ["assert.deepEqual(intersection([1, 2, 3, 2], [2, 3, 4]), [2, 3]);"],
  ),
  module(
    "difference",
    "Items only in the first array.",
    `
export function difference<T>(left: readonly T[], right: readonly T[]): T[] {
  const other = new Set(right);
  return left.filter((item) => !other.has(item));
}`,
    ["assert.deepEqual(difference([1, 2, 3], [2]), [1, 3]);"],
  ),
  module(
    "compact",
    "Drops empty values.",
    `
export function compact<T>(items: readonly (T | null | undefined | false | "" | 0)[]): T[] {
  return items.filter(Boolean) as T[];
}`,
    ['assert.deepEqual(compact([0, 1, null, 2, "", undefined, 3]), [1, 2, 3]);'],
  ),
  module(
    "take",
    "First n items.",
    `
export function take<T>(items: readonly T[], count: number): T[] {
  if (count < 0) throw new RangeError("count must not be negative");
  return items.slice(0, count);
}`,
    ["assert.deepEqual(take([1, 2, 3], 2), [1, 2]);", "assert.throws(() => take([1], -1));"],
  ),
  module(
    "repeatString",
    "Repeats text with a separator.",
    `
export function repeatString(text: string, times: number, separator = ""): string {
  if (!Number.isInteger(times) || times < 0) throw new RangeError("times must be a natural number");
  return Array.from({ length: times }, () => text).join(separator);
}`,
    ['assert.equal(repeatString("ab", 3, "-"), "ab-ab-ab");', 'assert.equal(repeatString("x", 0), "");'],
  ),
  module(
    "isEmail",
    "Rough e-mail address check.",
    `
export function isEmail(text: string): boolean {
  return /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(text);
}`,
    ['assert.equal(isEmail("ada@example.org"), true);', 'assert.equal(isEmail("not an email"), false);'],
  ),
];

/** The first version of a module that breaks the build: a syntax error the build step catches. */
export function brokenSource(module: SampleModule): string {
  return module.source.replace(/\{\n/, "{\n  const broken = ;\n");
}
