import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";

/** The directories a wrapped command may write, each bound at the same path inside. */
export interface BubblewrapMounts {
  readonly workdir: string;
  readonly home: string;
  /** Host directory bound at `/tmp`. */
  readonly tmp: string;
  /** The repository's common git directory, bound read-only again in case `/tmp` hid it. */
  readonly gitCommonDir: string;
  /** More host directories bound read-only again after `/tmp` (tools installed under /tmp). */
  readonly readOnly?: readonly string[];
  /** Unix sockets bound read-write (the model gateway's), the only way out of `--unshare-net`. */
  readonly sockets?: readonly { readonly host: string; readonly inside: string }[];
}

/**
 * The top-level directories under `/tmp` that the sandbox's own `/tmp` would hide but the
 * command needs (a toolchain or a checkout living in /tmp, as on many CI machines): its PATH
 * entries and absolute program or script paths in its argv, following symlinks.
 */
export function toolDirsUnderTmp(path: string, argv: readonly string[] = []): string[] {
  const dirs = new Set<string>();
  const topOf = (entry: string): string | null => {
    const match = /^\/tmp\/[^/]+/.exec(entry);
    return match ? match[0] : null;
  };
  const absolute = argv.filter((arg) => arg.startsWith("/"));
  for (const entry of [...path.split(":").filter(Boolean), ...absolute]) {
    for (const candidate of [entry, realOrNull(entry)]) {
      const top = candidate === null ? null : topOf(candidate);
      if (top !== null) dirs.add(top);
    }
  }
  return [...dirs];
}

function realOrNull(entry: string): string | null {
  try {
    return realpathSync(entry);
  } catch {
    return null;
  }
}

/**
 * bubblewrap arguments around `argv`: the host's `/` read-only (the main repository's `.git`
 * included, so nothing inside can rewrite hooks, config or worktree metadata the orchestrator's
 * git later reads), a fresh `/dev` and `/proc`, the workspace and home writable, the sandbox's
 * own `/tmp`, new pid/ipc/uts namespaces (the tree dies with its leader and with us), no
 * network unless allowed, no capabilities, and a new session so it cannot reach our terminal.
 */
export function bubblewrapArgs(
  mounts: BubblewrapMounts,
  options: { readonly network: boolean; readonly cwd: string },
  argv: readonly string[],
): string[] {
  return [
    "--die-with-parent",
    "--new-session",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(options.network ? [] : ["--unshare-net"]),
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--bind",
    mounts.tmp,
    "/tmp",
    ...(mounts.readOnly ?? []).flatMap((dir) => ["--ro-bind", dir, dir]),
    "--ro-bind",
    mounts.gitCommonDir,
    mounts.gitCommonDir,
    "--bind",
    mounts.workdir,
    mounts.workdir,
    "--bind",
    mounts.home,
    mounts.home,
    ...(mounts.sockets ?? []).flatMap((socket) => ["--bind", socket.host, socket.inside]),
    "--chdir",
    options.cwd,
    "--",
    ...argv,
  ];
}

/**
 * Whether `bwrap` can create the namespaces the sandbox uses on this machine. Resolves with null
 * when it can, or with a short reason when it cannot (missing, no user namespaces, …).
 */
export function probeBubblewrap(binary: string, path: string): Promise<string | null> {
  const args = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--cap-drop", "ALL"];
  args.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--", "true");
  return new Promise((resolve) => {
    execFile(binary, args, { env: { PATH: path }, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve(null);
      else resolve((stderr.trim().split("\n")[0] ?? "") || error.message);
    });
  });
}
