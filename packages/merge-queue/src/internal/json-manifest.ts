/**
 * Three-way merge of JSON manifests (`package.json`) by key. Pure: no git, no I/O.
 */
import { z } from "zod";

/** What {@link mergeJsonManifest} decided for one file. */
export interface ManifestMerge {
  readonly text: string;
  /** Keys (dotted paths) both sides changed, merged one level down or found equal. */
  readonly hunks: number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const JsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonSchema),
    z.record(z.string(), JsonSchema),
  ]),
);
const JsonObjectSchema = z.record(z.string(), JsonSchema);

/** Conflict sentinel: the same key got two different values. */
const clash = Symbol("clash");
/** A key one side removed. */
const absent = Symbol("absent");
type Slot = Json | typeof absent;

function parseObject(text: string): JsonObject | null {
  try {
    const parsed = JsonObjectSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isObject(value: Slot): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function equal(left: Slot, right: Slot): boolean {
  if (left === absent || right === absent) return left === right;
  return JSON.stringify(left) === JSON.stringify(right);
}

function isSorted(keys: readonly string[]): boolean {
  return keys.every((key, index) => index === 0 || keys[index - 1]!.localeCompare(key) <= 0);
}

/** Maps package managers keep sorted by name. */
const sortedMaps = /(^|[a-z])(dependencies|Dependencies|DependenciesMeta|overrides|resolutions)$/;

/**
 * Key order of a merged object: ours' keys in ours' order, then the keys only theirs has in
 * theirs' order; a dependency map both sides keep sorted (as package managers write them) stays
 * sorted.
 */
function mergedKeys(name: string, ours: JsonObject, theirs: JsonObject): string[] {
  const keys = [...Object.keys(ours)];
  for (const key of Object.keys(theirs)) if (!Object.hasOwn(ours, key)) keys.push(key);
  if (sortedMaps.test(name) && isSorted(Object.keys(ours)) && isSorted(Object.keys(theirs)))
    keys.sort((a, b) => a.localeCompare(b));
  return keys;
}

/** Arrays of strings or numbers both sides only added to: the base, then ours' additions, then theirs'. */
function mergeList(base: Json[], ours: Json[], theirs: Json[]): Json[] | typeof clash {
  const scalar = (items: Json[]) =>
    items.every((item) => typeof item === "string" || typeof item === "number");
  if (!scalar(base) || !scalar(ours) || !scalar(theirs)) return clash;
  const keeps = (items: Json[]) => base.every((item) => items.includes(item));
  if (!keeps(ours) || !keeps(theirs)) return clash;
  const merged = [...ours];
  for (const item of theirs) if (!merged.includes(item)) merged.push(item);
  return merged;
}

function mergeSlot(
  name: string,
  base: Slot,
  ours: Slot,
  theirs: Slot,
  counter: { hunks: number },
): Slot | typeof clash {
  if (equal(ours, theirs)) return ours;
  if (equal(base, ours)) return theirs;
  if (equal(base, theirs)) return ours;
  counter.hunks += 1;
  if (isObject(ours) && isObject(theirs)) {
    return mergeObject(name, isObject(base) ? base : {}, ours, theirs, counter);
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    return mergeList(Array.isArray(base) ? base : [], ours, theirs);
  }
  return clash;
}

function mergeObject(
  name: string,
  base: JsonObject,
  ours: JsonObject,
  theirs: JsonObject,
  counter: { hunks: number },
): JsonObject | typeof clash {
  const merged: JsonObject = {};
  for (const key of mergedKeys(name, ours, theirs)) {
    const slot = (object: JsonObject): Slot => (Object.hasOwn(object, key) ? object[key]! : absent);
    const value = mergeSlot(key, slot(base), slot(ours), slot(theirs), counter);
    if (value === clash) return clash;
    if (value !== absent) merged[key] = value;
  }
  return merged;
}

/** The indentation unit of a JSON text: the first indented line's leading whitespace. */
function indentOf(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
}

/**
 * Merges two versions of a JSON manifest by key: a key only one side changed takes that side's
 * value, objects both changed (dependency maps, scripts) merge key by key, lists of names both
 * only added to are joined, and the same key given two different values is a real conflict
 * (null). Also null when any version is not a JSON object. Ours' indentation, line ending and
 * final newline are kept; key order is ours', then theirs' new keys (sorted maps stay sorted).
 */
export function mergeJsonManifest(base: string | null, ours: string, theirs: string): ManifestMerge | null {
  const baseObject = base === null || base.trim() === "" ? {} : parseObject(base);
  const oursObject = parseObject(ours);
  const theirsObject = parseObject(theirs);
  if (baseObject === null || oursObject === null || theirsObject === null) return null;
  const counter = { hunks: 0 };
  const merged = mergeObject("", baseObject, oursObject, theirsObject, counter);
  if (merged === clash) return null;
  const newline = ours.includes("\r\n") ? "\r\n" : "\n";
  let text = JSON.stringify(merged, null, indentOf(ours));
  if (newline !== "\n") text = text.replaceAll("\n", newline);
  if (ours.endsWith("\n")) text += newline;
  return { text, hunks: counter.hunks };
}
