import { type SampleModule, sampleModule } from "./sample-module.js";

/** Numbers, lists and text: the first modules of the sample library, in its order. */
export const listAndTextModules: readonly SampleModule[] = [
  sampleModule(
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
  sampleModule(
    "sum",
    "Adds numbers.",
    `
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}`,
    ["assert.equal(sum([1, 2, 3]), 6);", "assert.equal(sum([]), 0);"],
  ),
  sampleModule(
    "mean",
    "Arithmetic mean.",
    `
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of nothing");
  return values.reduce((total, value) => total + value, 0) / values.length;
}`,
    ["assert.equal(mean([1, 2, 3, 4]), 2.5);", "assert.throws(() => mean([]));"],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "unique",
    "Removes duplicates, keeping order.",
    `
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}`,
    ["assert.deepEqual(unique([1, 2, 1, 3, 2]), [1, 2, 3]);"],
  ),
  sampleModule(
    "flatten",
    "Flattens one level.",
    `
export function flatten<T>(items: readonly (T | readonly T[])[]): T[] {
  return items.flatMap((item) => (Array.isArray(item) ? [...(item as readonly T[])] : [item as T]));
}`,
    ["assert.deepEqual(flatten([1, [2, 3], 4]), [1, 2, 3, 4]);"],
  ),
  sampleModule(
    "zip",
    "Pairs two arrays.",
    `
export function zip<A, B>(left: readonly A[], right: readonly B[]): [A, B][] {
  const length = Math.min(left.length, right.length);
  return Array.from({ length }, (_, index) => [left[index]!, right[index]!]);
}`,
    ['assert.deepEqual(zip([1, 2, 3], ["a", "b"]), [[1, "a"], [2, "b"]]);'],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "capitalize",
    "Upper-cases the first letter.",
    `
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}`,
    ['assert.equal(capitalize("hello"), "Hello");', 'assert.equal(capitalize(""), "");'],
  ),
  sampleModule(
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
  sampleModule(
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
  sampleModule(
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
  sampleModule(
    "truncate",
    "Shortens text with an ellipsis.",
    `
export function truncate(text: string, length: number): string {
  if (length < 1) throw new RangeError("length must be at least 1");
  return text.length <= length ? text : \`\${text.slice(0, length - 1)}…\`;
}`,
    ['assert.equal(truncate("abcdef", 4), "abc…");', 'assert.equal(truncate("abc", 4), "abc");'],
  ),
  sampleModule(
    "countWords",
    "Counts words.",
    `
export function countWords(text: string): number {
  return text.split(/\\s+/).filter(Boolean).length;
}`,
    ['assert.equal(countWords(" one two  three "), 3);', 'assert.equal(countWords(""), 0);'],
  ),
  sampleModule(
    "reverseWords",
    "Reverses word order.",
    `
export function reverseWords(text: string): string {
  return text.split(/\\s+/).filter(Boolean).reverse().join(" ");
}`,
    ['assert.equal(reverseWords("a b c"), "c b a");'],
  ),
  sampleModule(
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
];
