import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { z } from "zod";

const HolderSchema = z.object({ pid: z.number().int(), runId: z.string(), host: z.string() });

/** Who holds a repository's run lock. */
export type RunLockHolder = z.infer<typeof HolderSchema>;

export interface RunLockOptions {
  readonly pid: number;
  readonly runId: string;
  /** Default: this machine's host name. */
  readonly host?: string;
  /** Whether a process of this host is alive; default `process.kill(pid, 0)` (ESRCH means dead). */
  readonly isProcessAlive?: (pid: number) => boolean;
}

/** A held lock; `release` removes the file if it is still ours (idempotent). */
export interface RunLock {
  readonly path: string;
  readonly holder: RunLockHolder;
  /** The dead process whose stale lock was taken over, if any. */
  readonly tookOverFrom: RunLockHolder | null;
  release(): void;
}

/**
 * Takes `<dir>/run.lock` for one run, so a second run on the same repository is refused.
 *
 * The file is created exclusively and complete: it is written under a private name and then
 * hard-linked into place, which fails with EEXIST exactly like an O_EXCL create but can never be
 * seen half-written. A lock whose process is dead on this host is stale and taken over, guarded
 * by a second exclusive file so two newcomers cannot both take it. A lock from another host
 * cannot be checked and is never taken over.
 *
 * @throws UserError naming the holder when a live run (or another host) holds the lock.
 */
export function acquireRunLock(dir: string, options: RunLockOptions): RunLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "run.lock");
  const holder: RunLockHolder = { pid: options.pid, runId: options.runId, host: options.host ?? hostname() };
  const alive = options.isProcessAlive ?? isProcessAlive;
  const held = (tookOverFrom: RunLockHolder | null): RunLock => ({
    path,
    holder,
    tookOverFrom,
    release: () => {
      if (same(readHolder(path), holder)) rmSync(path, { force: true });
    },
  });

  for (let round = 0; round < 2; round += 1) {
    if (createExclusive(path, holder)) return held(null);
    const current = readHolder(path);
    if (current === "missing") continue;
    if (current === "unreadable") {
      throw new UserError(
        `The run lock ${path} is unreadable; if no longshot run is active on this repository, delete it and try again.`,
        { fields: { path } },
      );
    }
    if (current.host !== holder.host || alive(current.pid)) throw refusal(path, current, holder.host);
    takeOver(path, current, holder, alive);
    return held(current);
  }
  throw new UserError(`Could not take the run lock ${path}; another run is starting, try again.`, {
    fields: { path },
  });
}

/**
 * The holder of `<dir>/run.lock` when a run may be going on under it: its process is alive on
 * this host, or it is on another host (which cannot be checked). Null when there is no lock, or
 * its process is gone (the run was killed; its lock is stale).
 */
export function activeRunLock(
  dir: string,
  options: { readonly host?: string; readonly isProcessAlive?: (pid: number) => boolean } = {},
): RunLockHolder | null {
  const current = readHolder(join(dir, "run.lock"));
  if (typeof current !== "object") return null;
  const host = options.host ?? hostname();
  return current.host !== host || (options.isProcessAlive ?? isProcessAlive)(current.pid) ? current : null;
}

function takeOver(
  path: string,
  stale: RunLockHolder,
  holder: RunLockHolder,
  alive: (pid: number) => boolean,
): void {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, holder)) {
    const other = readHolder(guard);
    if (typeof other === "object" && other.host === holder.host && alive(other.pid)) {
      throw new UserError(
        `Another longshot process (pid ${other.pid}) is taking over the stale run lock ${path}; try again.`,
        { fields: { path, holder: other } },
      );
    }
    rmSync(guard, { force: true });
    if (!createExclusive(guard, holder)) {
      throw new UserError(`Another longshot process is taking over the stale run lock ${path}; try again.`, {
        fields: { path },
      });
    }
  }
  try {
    const current = readHolder(path);
    if (same(current, stale)) rmSync(path, { force: true });
    if (!createExclusive(path, holder)) {
      const winner = readHolder(path);
      throw typeof winner === "object"
        ? refusal(path, winner, holder.host)
        : new UserError(`Could not take over the run lock ${path}; try again.`, { fields: { path } });
    }
  } finally {
    rmSync(guard, { force: true });
  }
}

function refusal(path: string, current: RunLockHolder, host: string): UserError {
  const where = current.host === host ? `pid ${current.pid}` : `pid ${current.pid} on host ${current.host}`;
  const fix =
    current.host === host
      ? "wait for it to finish or stop it, then try again"
      : "if that run is gone, delete the lock file and try again";
  return new UserError(`Another longshot run (${current.runId}, ${where}) holds ${path}; ${fix}.`, {
    fields: { path, holder: current },
  });
}

function createExclusive(path: string, holder: RunLockHolder): boolean {
  const temporary = `${path}.${holder.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(holder)}\n`, { flag: "wx" });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readHolder(path: string): RunLockHolder | "missing" | "unreadable" {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return "missing";
    throw error;
  }
  try {
    return HolderSchema.parse(JSON.parse(raw));
  } catch {
    return "unreadable";
  }
}

function same(a: RunLockHolder | string, b: RunLockHolder): boolean {
  return typeof a === "object" && a.pid === b.pid && a.runId === b.runId && a.host === b.host;
}

/** `process.kill(pid, 0)`: ESRCH means no such process; EPERM means it exists under another user. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, "ESRCH");
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
