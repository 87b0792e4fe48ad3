import type { Clock } from "@longshot/core";

export interface LifetimeWatchOptions {
  readonly clock: Clock;
  readonly createdAt: number;
  readonly wallTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** When the sandbox was last busy, and whether it is busy now (a running command is not idle). */
  readonly activity: () => { readonly lastActiveAt: number; readonly busy: boolean };
  readonly expire: (reason: "idle-timeout" | "wall-timeout") => void;
  readonly signal: AbortSignal;
}

/**
 * Sleeps until the earlier of the wall and idle deadlines, re-reading activity on waking, and
 * calls `expire` once a deadline has truly passed. Ends quietly when `signal` aborts.
 */
export async function watchLifetime(options: LifetimeWatchOptions): Promise<void> {
  const wallDeadline = options.createdAt + options.wallTimeoutMs;
  while (!options.signal.aborted) {
    const now = options.clock.now();
    const activity = options.activity();
    const idleDeadline = activity.busy
      ? Number.POSITIVE_INFINITY
      : activity.lastActiveAt + options.idleTimeoutMs;
    if (now >= wallDeadline) {
      options.expire("wall-timeout");
      return;
    }
    if (now >= idleDeadline) {
      options.expire("idle-timeout");
      return;
    }
    // A busy sandbox is re-checked at least every idle period, so its idle clock starts on time.
    const wait = Math.min(wallDeadline, activity.busy ? now + options.idleTimeoutMs : idleDeadline) - now;
    try {
      await options.clock.sleep(Math.max(1, wait), options.signal);
    } catch {
      return;
    }
  }
}
