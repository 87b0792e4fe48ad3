import { posix } from "node:path";
import type { RunState, TaskView } from "./run-state.js";

/**
 * Files many tasks of a plan tend to touch: barrels that re-export modules, manifests and
 * lockfiles, registries and route tables, changelogs. Two tasks that both change one of them
 * collide on landing whatever their scopes say.
 */
const sharedNames = new Set([
  "index.ts",
  "index.tsx",
  "index.js",
  "index.mjs",
  "index.cjs",
  "index.jsx",
  "mod.rs",
  "lib.rs",
  "__init__.py",
  "package.json",
  "pnpm-lock.yaml",
  "package-lock.json",
  "yarn.lock",
  "bun.lock",
  "cargo.toml",
  "cargo.lock",
  "go.mod",
  "go.sum",
  "pyproject.toml",
  "requirements.txt",
  "gemfile",
  "gemfile.lock",
  "changelog.md",
]);
const sharedStem = /(^|[-_.])(registry|routes|router|exports|barrel)([-_.]|$)/i;

/** Whether `path` names a file of the kind many tasks touch (see above). */
export function isSharedFile(path: string): boolean {
  const name = posix.basename(path).toLowerCase();
  return sharedNames.has(name) || sharedStem.test(name.replace(/\.[^.]+$/, ""));
}

/** A path-like token in a task's text: `src/index.ts`, `package.json`. */
const pathToken = /[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]+/g;

/** Files that conflicted in this run so far: the run's own evidence of which files are hot. */
export function conflictedFiles(state: RunState): ReadonlySet<string> {
  const files = new Set<string>();
  for (const view of state.tasks.values()) for (const file of view.conflictFiles) files.add(file);
  return files;
}

/** Finished tasks that claimed a hot file: how many there must be before their work counts as evidence. */
const evidenceCount = 3;

/** What the run's finished work says of one hot file: tasks that claimed it, and how many of them changed it. */
export interface ClaimEvidence {
  readonly claimed: number;
  readonly changed: number;
}

/**
 * For each hot file claimed by a task that finished an attempt: how many such tasks claimed it
 * and how many of them changed it (their handoffs list the files their work changed, taken from
 * the diff), and the files any finished task changed.
 */
export function claimEvidence(state: RunState): {
  readonly byFile: ReadonlyMap<string, ClaimEvidence>;
  readonly changed: ReadonlySet<string>;
} {
  const byFile = new Map<string, { claimed: number; changed: number }>();
  const changed = new Set<string>();
  for (const view of state.tasks.values()) {
    const handoff = view.attempts.findLast((attempt) => attempt.handoff !== null)?.handoff;
    if (handoff === undefined || handoff === null) continue;
    for (const file of handoff.filesChanged) changed.add(file);
    for (const file of hotClaims(view, new Set())) {
      const entry = byFile.get(file) ?? { claimed: 0, changed: 0 };
      entry.claimed += 1;
      if (handoff.filesChanged.includes(file)) entry.changed += 1;
      byFile.set(file, entry);
    }
  }
  return { byFile, changed };
}

/**
 * How many tasks that claim `file` may be in flight at once, when at most `width` should be
 * expected to change it (the rest would only wait in its resolution lane). A claim from a name or
 * a task's text is a guess until `evidenceCount` claimants have finished: then the share of them
 * that changed the file scales the cap (a quarter changing it: four times the width), and none
 * changing it lifts the cap, unless the file conflicted or another task changed it. Before the
 * evidence, the cap is `width`.
 */
export function claimantLimit(
  file: string,
  width: number,
  evidence: ReturnType<typeof claimEvidence>,
  conflicted: ReadonlySet<string>,
): number {
  const seen = evidence.byFile.get(file);
  if (seen === undefined || seen.claimed < evidenceCount) return width;
  if (seen.changed === 0) return conflicted.has(file) || evidence.changed.has(file) ? width : Infinity;
  return Math.ceil((width * seen.claimed) / seen.changed);
}

/**
 * The hot files a task is expected to change: shared files (or files that conflicted in this
 * run) that its declared scope lists, that its title, description, acceptance or context names
 * (what the planner knows it will touch, whether or not the scope says so), or that its earlier
 * work conflicted in.
 */
export function hotClaims(view: TaskView, conflicted: ReadonlySet<string>): readonly string[] {
  // The scheduler asks for every ready task's claims at every decision: the part that depends
  // only on the task is worked out once per task object, and nothing is allocated when the
  // run's conflicts add nothing to it.
  const { shared, others } = claimsOf(view.task);
  const conflictedHere = conflicted.size === 0 ? [] : others.filter((path) => conflicted.has(path));
  if (view.conflictFiles.length === 0 && conflictedHere.length === 0) return shared;
  return [...new Set([...shared, ...view.conflictFiles, ...conflictedHere])];
}

/** A task's scope entries and named paths: the shared files among them, and the rest. */
interface TaskPaths {
  readonly shared: readonly string[];
  readonly others: readonly string[];
}

/** Per task object (a change to the task is a new object). */
const pathsOfTask = new WeakMap<TaskView["task"], TaskPaths>();

function claimsOf(task: TaskView["task"]): TaskPaths {
  const cached = pathsOfTask.get(task);
  if (cached !== undefined) return cached;
  const paths = [...new Set([...task.scope, ...pathsNamed(task)])];
  const split = { shared: paths.filter(isSharedFile), others: paths.filter((path) => !isSharedFile(path)) };
  pathsOfTask.set(task, split);
  return split;
}

/** Paths named in a task's text (`claimsOf` keeps them per task object). */
function pathsNamed(task: TaskView["task"]): readonly string[] {
  const text = [task.title, task.description, ...task.acceptance, task.context].join("\n");
  return [...new Set([...text.matchAll(pathToken)].map((match) => match[0].replace(/^\.\//, "")))];
}
