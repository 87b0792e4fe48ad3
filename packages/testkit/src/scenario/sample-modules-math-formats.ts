import { type SampleModule, sampleModule } from "./sample-module.js";

/** Arithmetic, objects and formats: the rest of the sample library, in its order. */
export const mathAndFormatModules: readonly SampleModule[] = [
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "roundTo",
    "Rounds to decimal places.",
    `
export function roundTo(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}`,
    ["assert.equal(roundTo(3.14159, 2), 3.14);", "assert.equal(roundTo(2.5, 0), 3);"],
  ),
  sampleModule(
    "percent",
    "Share as a percentage.",
    `
export function percent(part: number, whole: number): number {
  if (whole === 0) throw new RangeError("whole must not be 0");
  return (part / whole) * 100;
}`,
    ["assert.equal(percent(1, 4), 25);", "assert.throws(() => percent(1, 0));"],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "invert",
    "Swaps keys and values.",
    `
export function invert(value: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [inner, key]));
}`,
    ['assert.deepEqual(invert({ a: "x", b: "y" }), { x: "a", y: "b" });'],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "toBinary",
    "Integer to binary text.",
    `
export function toBinary(value: number): string {
  if (!Number.isInteger(value) || value < 0) throw new RangeError("natural numbers only");
  return value.toString(2);
}`,
    ['assert.equal(toBinary(10), "1010");'],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "escapeHtml",
    "Escapes HTML special characters.",
    `
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);
}`,
    ['assert.equal(escapeHtml("<a href=\\"x\\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");'],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "intersection",
    "Items in both arrays.",
    `
export function intersection<T>(left: readonly T[], right: readonly T[]): T[] {
  const other = new Set(right);
  return [...new Set(left)].filter((item) => other.has(item));
}`,
    ["assert.deepEqual(intersection([1, 2, 3, 2], [2, 3, 4]), [2, 3]);"],
  ),
  sampleModule(
    "difference",
    "Items only in the first array.",
    `
export function difference<T>(left: readonly T[], right: readonly T[]): T[] {
  const other = new Set(right);
  return left.filter((item) => !other.has(item));
}`,
    ["assert.deepEqual(difference([1, 2, 3], [2]), [1, 3]);"],
  ),
  sampleModule(
    "compact",
    "Drops empty values.",
    `
export function compact<T>(items: readonly (T | null | undefined | false | "" | 0)[]): T[] {
  return items.filter(Boolean) as T[];
}`,
    ['assert.deepEqual(compact([0, 1, null, 2, "", undefined, 3]), [1, 2, 3]);'],
  ),
  sampleModule(
    "take",
    "First n items.",
    `
export function take<T>(items: readonly T[], count: number): T[] {
  if (count < 0) throw new RangeError("count must not be negative");
  return items.slice(0, count);
}`,
    ["assert.deepEqual(take([1, 2, 3], 2), [1, 2]);", "assert.throws(() => take([1], -1));"],
  ),
  sampleModule(
    "repeatString",
    "Repeats text with a separator.",
    `
export function repeatString(text: string, times: number, separator = ""): string {
  if (!Number.isInteger(times) || times < 0) throw new RangeError("times must be a natural number");
  return Array.from({ length: times }, () => text).join(separator);
}`,
    ['assert.equal(repeatString("ab", 3, "-"), "ab-ab-ab");', 'assert.equal(repeatString("x", 0), "");'],
  ),
  sampleModule(
    "isEmail",
    "Rough e-mail address check.",
    `
export function isEmail(text: string): boolean {
  return /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(text);
}`,
    ['assert.equal(isEmail("ada@example.org"), true);', 'assert.equal(isEmail("not an email"), false);'],
  ),
];
