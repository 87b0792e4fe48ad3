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

/** Finished tasks that named a guessed hot file, none of which changed it, that disprove the guess. */
const disproofCount = 3;

/**
 * Hot files guessed from names and task texts that this run's own work disproved: at least
 * three tasks that claimed the file finished an attempt (their handoffs list the files their
 * work changed, taken from the diff) and not one of them changed it. A plan whose every task
 * names a barrel it never touches keeps its workers busy; a plan whose tasks do change it keeps
 * the cap (as does any file once it conflicted).
 */
export function disprovedGuesses(state: RunState): ReadonlySet<string> {
  const claimed = new Map<string, number>();
  const changed = new Set<string>();
  for (const view of state.tasks.values()) {
    const handoff = view.attempts.findLast((attempt) => attempt.handoff !== null)?.handoff;
    if (handoff === undefined || handoff === null) continue;
    for (const file of handoff.filesChanged) changed.add(file);
    for (const file of hotClaims(view, new Set())) claimed.set(file, (claimed.get(file) ?? 0) + 1);
  }
  const disproved = new Set<string>();
  for (const [file, count] of claimed) if (count >= disproofCount && !changed.has(file)) disproved.add(file);
  return disproved;
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
