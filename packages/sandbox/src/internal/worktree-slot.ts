import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";

/**
 * Where one pooled worktree lives: `<root>/<repo key>/<name>` is the worktree, and
 * `<name>.d/` next to it holds its lease, home and temp directories, out of the workspace's
 * reach (read-only inside the sandbox).
 */
export interface WorktreeSlot {
  readonly name: string;
  readonly repoDir: string;
  readonly workdir: string;
  readonly dataDir: string;
  readonly home: string;
  readonly tmp: string;
  readonly leaseFile: string;
}

export const LeaseSchema = z.object({
  state: z.enum(["busy", "idle"]),
  sandboxId: z.string().nullable(),
  pid: z.number().int(),
  repoPath: z.string(),
});
export type Lease = z.infer<typeof LeaseSchema>;

/** Directory of one repository's slots under the provider root. */
export function repoDirFor(root: string, realRepoPath: string): string {
  const hash = createHash("sha256").update(realRepoPath).digest("hex").slice(0, 10);
  const name =
    basename(realRepoPath)
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 40) || "repo";
  return join(root, `${name}-${hash}`);
}

export function slotAt(repoDir: string, name: string): WorktreeSlot {
  const dataDir = join(repoDir, `${name}.d`);
  return {
    name,
    repoDir,
    workdir: join(repoDir, name),
    dataDir,
    home: join(dataDir, "home"),
    tmp: join(dataDir, "tmp"),
    leaseFile: join(dataDir, "lease.json"),
  };
}

export async function writeLease(slot: WorktreeSlot, lease: Lease): Promise<void> {
  await mkdir(slot.dataDir, { recursive: true });
  await writeFile(slot.leaseFile, `${JSON.stringify(lease)}\n`);
}

export async function readLease(slot: WorktreeSlot): Promise<Lease | null> {
  try {
    const parsed = LeaseSchema.safeParse(JSON.parse(await readFile(slot.leaseFile, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Empties (or creates) the slot's home and temp directories. */
export async function resetScratch(slot: WorktreeSlot): Promise<void> {
  await Promise.all([
    rm(slot.home, { recursive: true, force: true }),
    rm(slot.tmp, { recursive: true, force: true }),
  ]);
  await Promise.all([mkdir(slot.home, { recursive: true }), mkdir(slot.tmp, { recursive: true })]);
}

/** Every slot under the provider root, with its lease (null when unreadable). */
export async function scanSlots(root: string): Promise<{ slot: WorktreeSlot; lease: Lease | null }[]> {
  const found: { slot: WorktreeSlot; lease: Lease | null }[] = [];
  const repoDirs = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const repoEntry of repoDirs) {
    if (!repoEntry.isDirectory()) continue;
    const repoDir = join(root, repoEntry.name);
    const names = await readdir(repoDir).catch(() => [] as string[]);
    const slotNames = new Set(names.map((name) => name.replace(/\.d$/, "")));
    for (const name of slotNames) {
      const slot = slotAt(repoDir, name);
      found.push({ slot, lease: await readLease(slot) });
    }
  }
  return found;
}

/** Whether a process id is running on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}
