import { probeBubblewrap } from "./internal/bubblewrap.js";
import { probeCgroups } from "./internal/cgroup-limits.js";
import { diskLimits, type SandboxBackend, type SandboxCheckContext } from "./sandbox-backend.js";
import { WorktreeSandboxProvider } from "./worktree-sandbox-provider.js";

/** How the local kind's checks reach this machine; tests pass their own. */
export interface LocalBackendProbes {
  readonly bubblewrap?: typeof probeBubblewrap;
  readonly cgroups?: typeof probeCgroups;
  /** The operating system; default `process.platform`. */
  readonly platform?: string;
}

/** The bubblewrap program local sandboxes use: LONGSHOT_BWRAP (a path), else `bwrap` on the PATH. */
export function bubblewrapBinary(env: NodeJS.ProcessEnv): string {
  return env.LONGSHOT_BWRAP?.trim() || "bwrap";
}

/**
 * The `local` sandbox kind (and SANDBOX_PROVIDER=none, the same worktrees unisolated): a warm git
 * worktree per worker, each command under bubblewrap.
 */
export function localSandboxBackend(probes: LocalBackendProbes = {}): SandboxBackend {
  return {
    async create(setup) {
      return new WorktreeSandboxProvider({
        root: setup.workspaceRoot,
        logger: setup.logger,
        path: setup.path,
        // A warm worktree per worker: fresh checkouts are the slow part of starting a sandbox.
        warmPoolSize: setup.warmPoolSize,
        bubblewrap: setup.isolate,
        bubblewrapBinary: bubblewrapBinary(setup.env),
        // Never bound into a sandbox, even when the PATH names a toolchain inside them.
        hiddenPaths: [setup.repo, ...(setup.env.HOME ? [setup.env.HOME] : []), "/root"],
        sockets: setup.sockets,
      });
    },
    async isolation(check) {
      const platform = probes.platform ?? process.platform;
      if (platform !== "linux") {
        return {
          status: "unavailable",
          detail: `local sandboxes need Linux: they run every command under bubblewrap, which ${platform} does not have; choose --sandbox docker (Docker Desktop works), e2b or modal, or opt out explicitly with SANDBOX_PROVIDER=none`,
          limits: "",
        };
      }
      const probe = await (probes.bubblewrap ?? probeBubblewrap)(bubblewrapBinary(check.env), check.path);
      if (!probe.ok) {
        return {
          status: "unavailable",
          detail: `local sandboxes cannot be isolated here (${probe.problem}); install bubblewrap (apt-get install bubblewrap), allow unprivileged user namespaces, choose --sandbox docker, or opt out explicitly with SANDBOX_PROVIDER=none`,
          limits: "",
        };
      }
      return {
        status: "isolated",
        detail:
          "local sandboxes run under bubblewrap: no network, read-only system, only the task's worktree writable, own processes",
        limits: `${diskLimits(check.config)}, the worktree may grow by ${check.config.SANDBOX_DISK_MB} MB; ${await cpuAndMemory(check, probes)}`,
      };
    },
    describe: () => "local sandbox",
    cliFix: (_config, cli) =>
      `install it (npm install -g ${cli.npmPackage}) or put the directory holding ${cli.program} in SANDBOX_PATH`,
  };
}

/** What doctor says of CPU and memory on the local kind: a cgroup per sandbox, or why not. */
async function cpuAndMemory(check: SandboxCheckContext, probes: LocalBackendProbes): Promise<string> {
  const { config } = check;
  const probe = await (probes.cgroups ?? probeCgroups)();
  if (probe.ok) {
    return `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox (a cgroup each)`;
  }
  return `CPU and memory limits are not enforced by local sandboxes here: ${probe.problem} (run as a user who may create cgroups, or use --sandbox docker for SANDBOX_CPU_CORES and SANDBOX_MEMORY_MB)`;
}
