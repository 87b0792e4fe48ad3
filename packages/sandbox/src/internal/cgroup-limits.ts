import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { processAlive } from "./worktree-slot.js";

/** CPU and memory of one sandbox, as the configuration gives them. */
export interface CgroupLimits {
  readonly cpuCores: number;
  readonly memoryMb: number;
}

/** Where this machine lets longshot create a cgroup per sandbox. */
export interface CgroupSupport {
  readonly version: 1 | 2;
  /** The directory new memory cgroups go in (v2: the one directory for both controllers). */
  readonly memoryParent: string;
  readonly cpuParent: string;
}

export type CgroupProbe =
  | { readonly ok: true; readonly support: CgroupSupport }
  | { readonly ok: false; readonly problem: string };

/** What the probe reads; tests point it at a fake file tree. */
export interface CgroupSources {
  readonly selfCgroup: string;
  readonly mountInfo: string;
}

const period = 100_000;
/** Name prefix of longshot's cgroups (a crashed run's are removed by the next probe). */
const prefix = "longshot-";

interface Mount {
  readonly root: string;
  readonly point: string;
  readonly type: string;
  readonly options: readonly string[];
}

function mountsOf(mountInfo: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of mountInfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (left === undefined || right === undefined) continue;
    const fields = left.split(" ");
    const [type, , options] = right.split(" ");
    if (fields[3] === undefined || fields[4] === undefined || type === undefined) continue;
    mounts.push({ root: fields[3], point: fields[4], type, options: (options ?? "").split(",") });
  }
  return mounts;
}

/** This process's cgroup directory for a controller (`""` for v2), or null. */
function ownDirectory(selfCgroup: string, mounts: readonly Mount[], controller: string): string | null {
  for (const line of selfCgroup.split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match === null) continue;
    const [, controllers = "", path = "/"] = match;
    const v2 = controllers === "";
    if (v2 !== (controller === "")) continue;
    if (!v2 && !controllers.split(",").includes(controller)) continue;
    const mount = mounts.find((entry) =>
      v2 ? entry.type === "cgroup2" : entry.type === "cgroup" && entry.options.includes(controller),
    );
    if (mount === undefined) continue;
    const relative = path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
    return join(mount.point, relative);
  }
  return null;
}

/**
 * Where per-sandbox cgroups can go: cgroup v1 with writable memory and cpu hierarchies (below
 * this process's own cgroups, so every limit above still holds), or cgroup v2 when this
 * process's cgroup can give its children the memory and cpu controllers (the root of a cgroup
 * namespace, as in a container). Null with the reason otherwise.
 */
export function cgroupParents(sources: CgroupSources): CgroupSupport | string {
  const mounts = mountsOf(sources.mountInfo);
  const memory = ownDirectory(sources.selfCgroup, mounts, "memory");
  const cpu = ownDirectory(sources.selfCgroup, mounts, "cpu");
  if (memory !== null && cpu !== null) return { version: 1, memoryParent: memory, cpuParent: cpu };
  const unified = ownDirectory(sources.selfCgroup, mounts, "");
  if (
    unified !== null &&
    mounts.some((mount) => mount.type === "cgroup2" && mount.point === "/sys/fs/cgroup")
  ) {
    return { version: 2, memoryParent: unified, cpuParent: unified };
  }
  return "no writable memory and cpu cgroup controllers were found";
}

/**
 * Finds out whether each local sandbox can get a cgroup holding it to `SANDBOX_CPU_CORES` and
 * `SANDBOX_MEMORY_MB`: it really creates one, sets both limits, moves a process into it the way
 * commands enter, and removes it. Any failure means the limits are not enforced here.
 */
export async function probeCgroups(sources?: CgroupSources): Promise<CgroupProbe> {
  try {
    const read = sources ?? {
      selfCgroup: await readFile("/proc/self/cgroup", "utf8"),
      mountInfo: await readFile("/proc/self/mountinfo", "utf8"),
    };
    const parents = cgroupParents(read);
    if (typeof parents === "string") return { ok: false, problem: parents };
    if (parents.version === 2) await enableControllers(parents.memoryParent);
    await removeLeftovers(parents);
    const cgroup = await SandboxCgroup.create(parents, "probe", { cpuCores: 1, memoryMb: 64 });
    try {
      const seen = await run(cgroup.entryArgv(["/bin/cat", "/proc/self/cgroup"]));
      if (!seen.includes(`/${cgroup.name}`)) {
        return { ok: false, problem: "a process could not be moved into a new cgroup" };
      }
    } finally {
      await cgroup.remove();
    }
    return { ok: true, support: parents };
  } catch (error) {
    return {
      ok: false,
      problem: `cgroups cannot be created here (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

async function enableControllers(dir: string): Promise<void> {
  const enabled = (await readFile(join(dir, "cgroup.subtree_control"), "utf8")).split(/\s+/);
  const missing = ["memory", "cpu"].filter((controller) => !enabled.includes(controller));
  if (missing.length > 0) {
    await writeFile(join(dir, "cgroup.subtree_control"), missing.map((name) => `+${name}`).join(" "));
  }
}

/**
 * Removes the cgroups a killed longshot left: each name carries its creator's pid, and only
 * those of processes that are gone are removed (an empty cgroup of a live run stays).
 */
async function removeLeftovers(support: CgroupSupport): Promise<void> {
  for (const parent of new Set([support.memoryParent, support.cpuParent])) {
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const owner = new RegExp(`^${prefix}(\\d+)-`).exec(entry.name);
      if (!entry.isDirectory() || owner === null || processAlive(Number(owner[1]))) continue;
      await rmdir(join(parent, entry.name)).catch(() => {});
    }
  }
}

function run(argv: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 10_000 }, (error, stdout) =>
      error === null ? resolve(stdout) : reject(error),
    );
  });
}

/**
 * A sandbox cgroup's CPU weight (cgroup v2 `cpu.weight`, default 100; v1 `cpu.shares` scaled from
 * 1024): a tenth of the default, about what `backgroundNice` gives the sandbox commands that run
 * without a cgroup (nice 10 weighs 110 against nice 0's 1024).
 */
export const cgroupCpuWeight = 10;

/**
 * One sandbox's cgroup: a memory limit (no swap beyond it where the kernel accounts swap), a CPU
 * quota of `cpuCores` cores and a low CPU weight ({@link cgroupCpuWeight}). Commands enter it
 * through `entryArgv`, which moves the command's first process into it before anything else
 * runs, so all it starts stays inside.
 */
export class SandboxCgroup {
  /** The cgroup's directory name (`longshot-<pid>-<name>-<random>`). */
  readonly name: string;
  readonly #dirs: readonly string[];

  private constructor(name: string, dirs: readonly string[]) {
    this.name = name;
    this.#dirs = dirs;
  }

  static async create(support: CgroupSupport, name: string, limits: CgroupLimits): Promise<SandboxCgroup> {
    const id = `${prefix}${process.pid}-${name}-${randomBytes(3).toString("hex")}`;
    const bytes = String(limits.memoryMb * 1_048_576);
    const quota = String(Math.max(1_000, Math.round(limits.cpuCores * period)));
    if (support.version === 2) {
      const dir = join(support.memoryParent, id);
      await mkdir(dir);
      const cgroup = new SandboxCgroup(id, [dir]);
      try {
        await writeFile(join(dir, "memory.max"), bytes);
        await writeFile(join(dir, "memory.swap.max"), "0").catch(() => {});
        await writeFile(join(dir, "cpu.max"), `${quota} ${period}`);
        // Below the default weight (100), as `backgroundNice` is below the orchestrator.
        await writeFile(join(dir, "cpu.weight"), String(cgroupCpuWeight)).catch(() => {});
      } catch (error) {
        await cgroup.remove();
        throw error;
      }
      return cgroup;
    }
    const memory = join(support.memoryParent, id);
    const cpu = join(support.cpuParent, id);
    await mkdir(memory);
    const cgroup = new SandboxCgroup(id, memory === cpu ? [memory] : [memory, cpu]);
    try {
      if (memory !== cpu) await mkdir(cpu);
      await writeFile(join(memory, "memory.limit_in_bytes"), bytes);
      await writeFile(join(memory, "memory.memsw.limit_in_bytes"), bytes).catch(() => {});
      await writeFile(join(cpu, "cpu.cfs_period_us"), String(period));
      await writeFile(join(cpu, "cpu.cfs_quota_us"), quota);
      await writeFile(join(cpu, "cpu.shares"), String(Math.round((cgroupCpuWeight * 1024) / 100))).catch(
        () => {},
      );
    } catch (error) {
      await cgroup.remove();
      throw error;
    }
    return cgroup;
  }

  /** The argv that runs `argv` inside this cgroup: a shell moves itself in, then execs it. */
  entryArgv(argv: readonly string[]): string[] {
    const files = this.#dirs.map((dir) => join(dir, "cgroup.procs"));
    const moves = files.map((_, index) => `echo $$ > "$${index + 1}"`).join(" && ");
    return ["/bin/sh", "-c", `${moves} && shift ${files.length} && exec "$@"`, "sh", ...files, ...argv];
  }

  /** Removes the cgroup once its processes are gone (they are killed before this is called). */
  async remove(): Promise<void> {
    for (const dir of this.#dirs) {
      for (let tries = 0; tries < 50; tries++) {
        try {
          await rmdir(dir);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOENT") break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
  }
}
