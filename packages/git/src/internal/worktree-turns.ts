import { resolve } from "node:path";

/** The last worktree registration change of each repository this process made or queued. */
const registrations = new Map<string, Promise<unknown>>();

/**
 * Runs `change` (a `git worktree add`, `remove` or `prune`) after the repository's previous one.
 * git reads every registered worktree's metadata while it changes one and fails on one another
 * add is still writing ("failed to read worktrees/<name>/commondir"); a prune may even drop it.
 */
export function inTurn<T>(repository: string, change: () => Promise<T>): Promise<T> {
  const key = resolve(repository);
  const next = (registrations.get(key) ?? Promise.resolve()).then(change, change);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  registrations.set(key, settled);
  void settled.then(() => {
    if (registrations.get(key) === settled) registrations.delete(key);
  });
  return next;
}
