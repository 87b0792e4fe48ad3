import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** Variable set on every unwrapped sandbox process: the orchestrator's pid and start time. */
export const ownerMarker = "LONGSHOT_SANDBOX_OWNER";

/** `<pid>:<start time>` of this process: unique even if the pid is reused later. */
export function ownerId(pid: number): string {
  return `${pid}:${startTimeOf(pid) ?? "0"}`;
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

// Runs in its own node process: waits for the owner to die (or its pid to be reused), then
// kills every process that carries the owner's marker, and exits.
const watcher = `
const { readdirSync, readFileSync } = require("node:fs");
const [owner, marker] = process.argv.slice(1);
const [pid, start] = owner.split(":");
const needle = Buffer.from("\\0" + marker + "=" + owner + "\\0");
const alive = () => {
  try {
    const stat = readFileSync("/proc/" + pid + "/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] !== "Z" && fields[19] === start;
  } catch { return false; }
};
const sweep = () => {
  for (const entry of readdirSync("/proc")) {
    if (!/^\\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync("/proc/" + entry + "/environ"), Buffer.from([0])]);
      if (environ.includes(needle)) process.kill(Number(entry), "SIGKILL");
    } catch {}
  }
};
const timer = setInterval(() => {
  if (alive()) return;
  clearInterval(timer);
  sweep();
  setTimeout(() => { sweep(); process.exit(0); }, 200);
}, 250);
`;

/**
 * Starts a detached watcher process that outlives this one: when this process dies, even by
 * SIGKILL, it kills every process carrying `LONGSHOT_SANDBOX_OWNER=<owner id>` (commands of
 * sandboxes that run unwrapped, which no namespace would take down) and exits. `node` is the
 * node executable. Returns the owner id to put in the commands' environment.
 */
export function startOwnerWatch(node: string, pid: number): string {
  const owner = ownerId(pid);
  const child = spawn(node, ["-e", watcher, owner, ownerMarker], {
    detached: true,
    stdio: "ignore",
    env: { PATH: "/usr/bin:/bin" },
  });
  child.on("error", () => undefined);
  child.unref();
  return owner;
}
