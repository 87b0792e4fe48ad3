import { posix } from "node:path";
import type { CommitWriter, Git, GitRunner, Identity } from "@longshot/git";
import type { AutoResolution, RegenerateLockfiles } from "../types.js";
import { mergeJsonManifest } from "./json-manifest.js";
import { unionOfAdditions } from "./line-union.js";
import { writeFiles } from "./write-files.js";

export { insertionsOf, unionOfAdditions } from "./line-union.js";

/** What resolving needs: the repository, a way to run git with a private index, and the lockfile seam. */
export interface ResolveContext {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly writer: CommitWriter;
  readonly committer: Identity;
  readonly date: Date;
  readonly regenerateLockfiles?: RegenerateLockfiles;
  readonly signal?: AbortSignal;
}

/** The request being integrated, for the lockfile seam. */
export interface ResolveSubject {
  readonly taskId: string;
  readonly attempt: number;
}

/** A tree the queue may land, with what it resolved; or why it could not. */
export type Resolution =
  | { readonly kind: "resolved"; readonly tree: string; readonly resolutions: readonly AutoResolution[] }
  | {
      readonly kind: "unresolved";
      /** Why, when the queue tried and failed (a lockfile it could not regenerate). */
      readonly detail: string | null;
      /** The files left to the task. */
      readonly files: readonly string[];
    };

const lockfileNames = new Set([
  "pnpm-lock.yaml",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "bun.lock",
]);

/** True for a package manager's lockfile, which is regenerated rather than merged as text. */
export function isLockfile(path: string): boolean {
  return lockfileNames.has(posix.basename(path));
}

const unresolved: Extract<Resolution, { kind: "unresolved" }> = {
  kind: "unresolved",
  detail: null,
  files: [],
};

/**
 * Resolves a conflict file by file: lockfiles are regenerated through `regenerateLockfiles`,
 * `package.json` is merged by key, any other file by the union of both sides' additions. One file
 * that no rule settles leaves the whole conflict to the task.
 */
export async function resolveConflict(
  context: ResolveContext,
  subject: ResolveSubject,
  head: string,
  tip: string,
  conflict: {
    readonly files: readonly string[];
    readonly tree: string;
    readonly autoMerged?: readonly string[];
  },
): Promise<Resolution> {
  const options = signalOf(context);
  const base = await context.git.mergeBase(head, tip, options);
  if (base === null) return unresolved;
  const merged = new Map<string, string>();
  const resolutions: AutoResolution[] = [];
  const lockfiles: string[] = [];
  for (const file of conflict.files) {
    if (isLockfile(file)) {
      lockfiles.push(file);
      continue;
    }
    const [ours, theirs, original] = await readSides(context, base, head, tip, file);
    if (ours === null || theirs === null) return unresolved;
    const manifest =
      posix.basename(file) === "package.json" ? mergeJsonManifest(original, ours, theirs) : null;
    if (manifest !== null) {
      merged.set(file, manifest.text);
      resolutions.push({ file, rule: "json-manifest", hunks: manifest.hunks });
      continue;
    }
    const union = unionOfAdditions(original ?? "", ours, theirs);
    if (union === null) return unresolved;
    merged.set(file, union.text);
    resolutions.push({ file, rule: "union-of-additions", hunks: union.hunks });
  }
  if (context.regenerateLockfiles !== undefined) {
    // A lockfile git merged as text beside the conflict is no more trustworthy than a conflicted one.
    for (const file of conflict.autoMerged ?? []) {
      if (isLockfile(file) && !lockfiles.includes(file)) lockfiles.push(file);
    }
  }
  const tree = await writeFiles(context, conflict.tree, head, merged);
  if (lockfiles.length === 0) return { kind: "resolved", tree, resolutions };
  return regenerate(context, subject, head, tree, lockfiles, resolutions);
}

async function regenerate(
  context: ResolveContext,
  subject: ResolveSubject,
  head: string,
  tree: string,
  lockfiles: readonly string[],
  resolutions: readonly AutoResolution[],
): Promise<Resolution> {
  const names = lockfiles.join(", ");
  if (context.regenerateLockfiles === undefined) return { ...unresolved, files: lockfiles };
  const commit = await context.writer.write(
    {
      tree,
      parents: [head],
      message: `Merged manifests of ${subject.taskId} before regenerating ${names}`,
      author: context.committer,
      committer: context.committer,
      date: context.date,
    },
    signalOf(context),
  );
  const signal = context.signal ?? new AbortController().signal;
  const outcome = await context.regenerateLockfiles({ ...subject, commit, lockfiles }, signal);
  if (outcome.kind === "failed") {
    return {
      kind: "unresolved",
      detail: `${names} could not be regenerated: ${outcome.reason}`,
      files: lockfiles,
    };
  }
  const files = new Map<string, string>();
  for (const file of lockfiles) {
    const content = outcome.files[file];
    if (content === undefined || hasConflictMarkers(content)) {
      const detail = `${file} could not be regenerated: no clean lockfile came back`;
      return { kind: "unresolved", detail, files: lockfiles };
    }
    files.set(file, content);
  }
  const regenerated = await writeFiles(context, tree, head, files);
  const lockResolutions = lockfiles.map((file) => ({
    file,
    rule: "lockfile-regenerated" as const,
    hunks: 1,
  }));
  return { kind: "resolved", tree: regenerated, resolutions: [...resolutions, ...lockResolutions] };
}

function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|>{7})( |$)/m.test(text);
}

/**
 * After a clean merge, settles what git's text merge cannot vouch for in the files both sides
 * changed (`autoMerged`, from merge-tree's messages): a line both added at different places
 * (written once), and lockfiles (regenerated when `regenerateLockfiles` is set; if that fails,
 * the merge becomes a conflict for the task). Returns null when there is nothing to settle,
 * which is the common case and costs nothing.
 */
export async function reviewCleanMerge(
  context: ResolveContext,
  subject: ResolveSubject,
  head: string,
  tip: string,
  clean: { readonly tree: string; readonly autoMerged?: readonly string[] },
): Promise<Resolution | null> {
  const both = clean.autoMerged ?? [];
  if (both.length === 0) return null;
  const tree = clean.tree;
  const lockfiles = context.regenerateLockfiles === undefined ? [] : both.filter(isLockfile);
  const suspects: string[] = [];
  for (const file of both.filter((path) => !isLockfile(path))) {
    // A line kept twice shows in git's result; a file without a repeated line needs no more.
    if (hasRepeatedLine((await context.git.readFile(tree, file, signalOf(context))) ?? ""))
      suspects.push(file);
  }
  if (suspects.length === 0 && lockfiles.length === 0) return null;
  const base = await context.git.mergeBase(head, tip, signalOf(context));
  if (base === null) return null;
  const merged = new Map<string, string>();
  const resolutions: AutoResolution[] = [];
  for (const file of suspects) {
    const [ours, theirsText, original] = await readSides(context, base, head, tip, file);
    if (ours === null || theirsText === null) continue;
    const union = unionOfAdditions(original ?? "", ours, theirsText);
    if (union === null || union.duplicatesDropped === 0) continue;
    merged.set(file, union.text);
    resolutions.push({ file, rule: "union-of-additions", hunks: union.hunks });
  }
  if (merged.size === 0 && lockfiles.length === 0) return null;
  const written = await writeFiles(context, tree, head, merged);
  if (lockfiles.length === 0) return { kind: "resolved", tree: written, resolutions };
  return regenerate(context, subject, head, written, lockfiles, resolutions);
}

function hasRepeatedLine(text: string): boolean {
  const seen = new Set<string>();
  for (const line of text.split("\n")) {
    if (!/[\p{L}\p{N}]/u.test(line)) continue;
    if (seen.has(line)) return true;
    seen.add(line);
  }
  return false;
}

function readSides(
  context: ResolveContext,
  base: string,
  head: string,
  tip: string,
  file: string,
): Promise<[string | null, string | null, string | null]> {
  const options = signalOf(context);
  return Promise.all([
    context.git.readFile(head, file, options),
    context.git.readFile(tip, file, options),
    context.git.readFile(base, file, options),
  ]);
}

function signalOf(context: ResolveContext): { signal?: AbortSignal } {
  return context.signal === undefined ? {} : { signal: context.signal };
}
