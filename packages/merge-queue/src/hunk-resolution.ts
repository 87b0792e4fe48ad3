import { posix } from "node:path";
import type { CommitInfo, Git, GitRunner, Identity } from "@longshot/git";
import { type HunkAnswer, type HunkedFile, parseConflictedFile, spliceAnswers } from "./conflict-hunks.js";
import { mergeJsonManifest } from "./internal/json-manifest.js";
import { unionOfAdditions } from "./internal/line-union.js";
import { isLockfile } from "./internal/resolve-additions.js";
import { writeFiles } from "./internal/write-files.js";
import type { ResolutionRule } from "./types.js";

/** A conflict the queue sent back to its task (the fields of a `conflict` merge result). */
export interface ConflictSnapshot {
  /** Conflicted paths. */
  readonly files: readonly string[];
  /** The conflicted merged tree `merge-tree` wrote, its files holding conflict markers. */
  readonly tree: string;
  /** The integration head the task conflicted with. */
  readonly head: string;
  /** The task's tip commit. */
  readonly tip: string;
}

/** A file a structured resolver settled on its own while the rest of the conflict needed more. */
export interface SettledFile {
  readonly content: string;
  readonly rule: Extract<ResolutionRule, "union-of-additions" | "json-manifest">;
}

/** Everything a hunk-sized resolution of a conflict needs to know, read from git. */
export interface HunkConflict {
  readonly conflict: ConflictSnapshot;
  /** Where the task and the integration branch parted; null without common history. */
  readonly base: string | null;
  /** Files with hunks to answer. */
  readonly hunked: readonly HunkedFile[];
  /** Files the structured resolvers settled (docs/decisions/0003); nobody is asked about them. */
  readonly settled: ReadonlyMap<string, SettledFile>;
  /**
   * Conflicted files that cannot be answered hunk by hunk (deleted on one side, binary, a
   * lockfile): while any is left, only a new attempt of the task can resolve the conflict.
   */
  readonly unanswerable: readonly string[];
  /** Commits of the integration branch since `base` that changed the conflicted files, newest first. */
  readonly integrationCommits: readonly CommitInfo[];
  /** The integration branch's change of the conflicted files since `base`, as a unified diff. */
  readonly integrationDiff: string;
  /** The task's change of the conflicted files since `base`, as a unified diff. */
  readonly taskDiff: string;
}

/** Options of {@link describeHunks}. */
export interface DescribeHunksOptions {
  /** Unconflicted lines shown around each hunk; default 3. */
  readonly contextLines?: number;
  /** Most integration commits listed; default 20. */
  readonly maxCommits?: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads a conflict hunk by hunk: the conflicted files as `merge-tree` left them, cut into hunks;
 * files a structured resolver settles (additions on both sides, `package.json` by key) resolved
 * right away; and both sides' changes of those files since the fork point, with the commits that
 * made the integration branch's side.
 */
export async function describeHunks(
  git: Git,
  conflict: ConflictSnapshot,
  options: DescribeHunksOptions = {},
): Promise<HunkConflict> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const base = await git.mergeBase(conflict.head, conflict.tip, signal);
  const hunked: HunkedFile[] = [];
  const settled = new Map<string, SettledFile>();
  const unanswerable: string[] = [];
  for (const file of conflict.files) {
    const [merged, ours, theirs, original] = await Promise.all([
      git.readFile(conflict.tree, file, signal),
      git.readFile(conflict.head, file, signal),
      git.readFile(conflict.tip, file, signal),
      base === null ? Promise.resolve(null) : git.readFile(base, file, signal),
    ]);
    const structured =
      isLockfile(file) || ours === null || theirs === null ? null : settle(file, original, ours, theirs);
    if (structured !== null) {
      settled.set(file, structured);
      continue;
    }
    const parsed =
      merged === null || isLockfile(file)
        ? null
        : parseConflictedFile(file, merged, options.contextLines ?? 3);
    if (parsed === null) unanswerable.push(file);
    else hunked.push(parsed);
  }
  const history = await sidesSince(git, base, conflict, options);
  return { conflict, base, hunked, settled, unanswerable, ...history };
}

/**
 * Both sides' changes of the conflicted files since the fork point `base`, with the commits (at
 * most `maxCommits`) that made the integration branch's side; nothing without a fork point.
 */
async function sidesSince(
  git: Git,
  base: string | null,
  conflict: ConflictSnapshot,
  options: DescribeHunksOptions,
): Promise<Pick<HunkConflict, "integrationCommits" | "integrationDiff" | "taskDiff">> {
  if (base === null) return { integrationCommits: [], integrationDiff: "", taskDiff: "" };
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const paths = { ...signal, paths: [...conflict.files] };
  const log = (await git.log(base, conflict.head, paths)).slice(0, options.maxCommits ?? 20);
  const infos = await git.showCommits(
    log.map((entry) => entry.sha),
    signal,
  );
  return {
    integrationCommits: log.flatMap((entry) => {
      const info = infos.get(entry.sha);
      return info ? [info] : [];
    }),
    integrationDiff: await git.diff(base, conflict.head, paths),
    taskDiff: await git.diff(base, conflict.tip, paths),
  };
}

function settle(file: string, original: string | null, ours: string, theirs: string): SettledFile | null {
  if (posix.basename(file) === "package.json") {
    const manifest = mergeJsonManifest(original, ours, theirs);
    if (manifest !== null) return { content: manifest.text, rule: "json-manifest" };
  }
  const union = unionOfAdditions(original ?? "", ours, theirs);
  return union === null ? null : { content: union.text, rule: "union-of-additions" };
}

/** Hunks to answer in a described conflict. */
export function hunkCount(conflict: HunkConflict): number {
  return conflict.hunked.reduce((sum, file) => sum + file.hunks.length, 0);
}

/** The commit a resolution is written as. */
export interface ResolutionCommit {
  readonly message: string;
  readonly author: Identity;
  readonly committer: Identity;
  readonly date?: Date;
}

/** The resolved commit, or what was wrong with the answers. */
export type CommittedResolution =
  | { readonly ok: true; readonly commit: string; readonly tree: string }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Writes a resolution as one commit on the integration head the task conflicted with: the
 * conflicted tree with the settled files and every hunk replaced by its answer, nothing else
 * changed. Landing that commit later merges only the task's (resolved) change, whatever landed
 * since. Answers that miss a hunk, answer one twice or keep conflict markers are refused with
 * the problems; nothing is written then. Throws on git failures and cancellation.
 */
export async function commitResolution(
  context: { readonly git: Git; readonly runner: GitRunner; readonly signal?: AbortSignal },
  described: HunkConflict,
  answers: readonly HunkAnswer[],
  commit: ResolutionCommit,
): Promise<CommittedResolution> {
  if (described.unanswerable.length > 0) {
    return { ok: false, problems: [`${described.unanswerable.join(", ")} cannot be resolved hunk by hunk.`] };
  }
  const spliced = spliceAnswers(described.hunked, answers);
  if (!spliced.ok) return spliced;
  const files = new Map<string, string>();
  for (const [file, settled] of described.settled) files.set(file, settled.content);
  for (const [file, content] of spliced.contents) files.set(file, content);
  const { head } = described.conflict;
  const tree = await writeFiles(context, described.conflict.tree, head, files);
  const sha = await context.git.commitTree(tree, [head], commit.message, commit.author, {
    committer: commit.committer,
    ...(commit.date === undefined ? {} : { date: commit.date }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  return { ok: true, commit: sha, tree };
}
