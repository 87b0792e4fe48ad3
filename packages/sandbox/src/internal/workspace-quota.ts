import { lstat, readdir, statfs } from "node:fs/promises";
import { join } from "node:path";

/** Bytes the file system holding a path has in use (the seam tests replace). */
export type FileSystemUsage = (path: string) => Promise<number>;

/** How often a running command's file system is looked at. */
const pollMs = 1_000;
/** Below this much headroom the workspace is walked at every look (not only on growth). */
const minimumStepBytes = 8 * 1_048_576;

/** Bytes in use on the file system that holds `path` (statfs: cheap, one syscall). */
export async function fileSystemUsage(path: string): Promise<number> {
  const stats = await statfs(path);
  return (stats.blocks - stats.bfree) * stats.bsize;
}

/**
 * Disk space the files under `dir` take (allocated blocks, so a sparse file counts what it
 * really holds; hard links once). Symlinks are not followed.
 */
export async function diskBytesUnder(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const paths = [dir, ...entries.map((entry) => join(entry.parentPath, entry.name))];
  for (let start = 0; start < paths.length; start += 256) {
    const batch = await Promise.all(
      paths.slice(start, start + 256).map((path) => lstat(path).catch(() => null)),
    );
    for (const stats of batch) {
      if (stats === null) continue;
      const key = `${stats.dev}:${stats.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total += stats.blocks * 512;
    }
  }
  return total;
}

/** statfs's type of tmpfs, where a directory takes no blocks of its own. */
const tmpfsMagic = 0x01021994;

/**
 * What a fresh checkout of a tree takes on the disk at `dir` (its file system's block size and
 * kind), from `git ls-tree -r -l -z` output: each blob rounded up to whole blocks, the
 * worktree's `.git` file, and (except on tmpfs) one block per directory. An estimate that
 * stands in for walking thousands of files: off by a few blocks at most.
 */
export async function checkoutBytes(dir: string, lsTree: string): Promise<number> {
  const stats = await statfs(dir);
  const block = stats.bsize > 0 ? stats.bsize : 4096;
  let total = block;
  const dirs = new Set<string>();
  for (const record of lsTree.split("\0")) {
    // "<mode> <type> <object> <size>\t<path>"
    const tab = record.indexOf("\t");
    if (tab === -1) continue;
    const [, type, , size] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1))
      dirs.add(path.slice(0, slash));
    if (type !== "blob") continue;
    const bytes = Number(size);
    if (bytes > 0) total += Math.ceil(bytes / block) * block;
  }
  return stats.type === tmpfsMagic ? total : total + dirs.size * block;
}

/** The sentence a command or commit over the quota gets. */
export function quotaMessage(grownBytes: number, limitBytes: number): string {
  const mb = (bytes: number): string => String(Math.ceil(bytes / 1_048_576));
  return `Longshot stopped this: the workspace grew by ${mb(grownBytes)} MB, over its ${mb(limitBytes)} MB disk quota (SANDBOX_DISK_MB). Delete what is not needed (build output, downloads, generated data) before going on.`;
}

/**
 * The disk quota of a workspace: it may grow by at most `limitBytes` over what it held when it
 * was checked out. Walking the workspace costs time, so it is walked only when the file system
 * holding it grew by more than the headroom left since the last walk (statfs, one syscall);
 * a running command is looked at every second and stopped when over.
 */
export class WorkspaceQuota {
  readonly #dir: string;
  readonly #limitBytes: number;
  readonly #usage: FileSystemUsage;
  /** The workspace's size at checkout. */
  #baseline: () => Promise<number>;
  /** Settles once the reference below is set for the current checkout. */
  #referenced: Promise<unknown>;
  /** File system usage and the workspace's growth at the last walk. */
  #reference: { fsUsed: number; grown: number } | null = null;

  /**
   * `checkedOut`, when given, works out the workspace's size at checkout without walking it
   * (see `checkoutBytes`); it is asked only once a look finds the file system grown by more
   * than the headroom, so a workspace that stays small is never walked at all. Without it, the
   * workspace is walked now.
   */
  constructor(
    dir: string,
    limitBytes: number,
    usage: FileSystemUsage = fileSystemUsage,
    checkedOut?: () => Promise<number>,
  ) {
    this.#dir = dir;
    this.#limitBytes = limitBytes;
    this.#usage = usage;
    if (checkedOut === undefined) {
      const measured = this.#measureBaseline();
      this.#baseline = () => measured;
      this.#referenced = measured;
    } else {
      let asked: Promise<number> | undefined;
      // Should the estimate fail, the workspace as it is now stands in for it.
      this.#baseline = () => {
        asked ??= checkedOut().catch(() => diskBytesUnder(dir));
        return asked;
      };
      this.#referenced = this.#usage(this.#dir).then(
        (fsUsed) => {
          this.#reference = { fsUsed, grown: 0 };
        },
        () => undefined,
      );
    }
  }

  /** The workspace was checked out afresh (kept caches and all): its size now, walked, is what it may grow from. */
  rebase(): void {
    const measured = this.#measureBaseline();
    this.#baseline = () => measured;
    this.#referenced = measured;
  }

  /** Resolves once the look at the checkout is taken (writes before it would count as checked out). */
  async ready(): Promise<void> {
    await this.#referenced;
  }

  /** Null while within the quota, else the sentence saying how far over it is. */
  async check(): Promise<string | null> {
    const fsUsed = await this.#usage(this.#dir).catch(() => null);
    const reference = this.#reference;
    // Over at the last walk: walk again (files may have been deleted since).
    if (fsUsed === null || reference === null || reference.grown > this.#limitBytes)
      return this.#walk(fsUsed);
    const headroom = Math.max(this.#limitBytes - reference.grown, minimumStepBytes);
    if (fsUsed - reference.fsUsed <= headroom) return null;
    return this.#walk(fsUsed);
  }

  /**
   * Watches a running command: every second, `stop` is called with the sentence once the
   * workspace is over its quota. Returns the function that ends the watch.
   */
  watch(stop: (message: string) => void): () => void {
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const look = (): void => {
      timer = setTimeout(() => {
        this.check().then(
          (message) => {
            if (ended) return;
            if (message === null) look();
            else stop(message);
          },
          () => (ended ? undefined : look()),
        );
      }, pollMs);
      timer.unref();
    };
    look();
    return () => {
      ended = true;
      clearTimeout(timer);
    };
  }

  async #walk(fsUsed: number | null): Promise<string | null> {
    const [baseline, size] = await Promise.all([this.#baseline(), diskBytesUnder(this.#dir)]);
    const grown = Math.max(0, size - baseline);
    this.#reference = fsUsed === null ? null : { fsUsed, grown };
    return grown > this.#limitBytes ? quotaMessage(grown, this.#limitBytes) : null;
  }

  async #measureBaseline(): Promise<number> {
    this.#reference = null;
    const [size, fsUsed] = await Promise.all([
      diskBytesUnder(this.#dir),
      this.#usage(this.#dir).catch(() => null),
    ]);
    this.#reference = fsUsed === null ? null : { fsUsed, grown: 0 };
    return size;
  }
}
