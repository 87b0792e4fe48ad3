import { subscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";

/** Child processes this process started, by program (git by subcommand), as counted so far. */
export interface SpawnTally {
  readonly total: number;
  /** `git rev-parse`, `bwrap`, `node`…, most frequent first. */
  readonly byCommand: readonly { readonly command: string; readonly count: number }[];
}

interface SpawnMessage {
  readonly process?: { readonly spawnargs?: readonly string[] };
}

/** What a spawned command is called in the tally: the program's base name, and git's subcommand. */
export function commandName(argv: readonly string[]): string {
  const program = (argv[0] ?? "?").split("/").at(-1) ?? "?";
  if (program !== "git") return program;
  for (let index = 1; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    if (arg === "-c" || arg === "-C") index++;
    else if (!arg.startsWith("-")) return `git ${arg}`;
  }
  return "git";
}

/**
 * Counts every child process this process starts from now on (Node's `child_process`
 * diagnostics channel fires once per asynchronous spawn, whoever calls it), so the benchmark can
 * report how many forks of the orchestrator a task costs.
 */
export function countSpawns(): () => SpawnTally {
  const counts = new Map<string, number>();
  subscribe("child_process", (message) => {
    // The channel fires before the process is started, when its arguments are not set yet.
    queueMicrotask(() => {
      const name = commandName((message as SpawnMessage).process?.spawnargs ?? []);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    });
  });
  return () => {
    const byCommand = [...counts.entries()]
      .map(([command, count]) => ({ command, count }))
      .sort((a, b) => b.count - a.count || a.command.localeCompare(b.command));
    return { total: byCommand.reduce((sum, entry) => sum + entry.count, 0), byCommand };
  };
}

/** CPU time of a process and of its children it has waited for, ms, from `/proc/<pid>/stat`. */
export interface ProcessCpu {
  readonly selfMs: number;
  readonly childrenMs: number;
}

/** Reads `/proc/<pid>/stat` (fields 14–17: utime, stime, cutime, cstime); null when unreadable. */
export function processCpu(pid: number | "self", ticksPerSecond = 100): ProcessCpu | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name may hold spaces and parentheses; the fields after its closing one are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = (index: number): number => Number(fields[index - 3] ?? 0);
  const ms = (value: number): number => Math.round((value * 1000) / ticksPerSecond);
  return { selfMs: ms(ticks(14) + ticks(15)), childrenMs: ms(ticks(16) + ticks(17)) };
}
