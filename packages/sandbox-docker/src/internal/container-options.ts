import type Docker from "dockerode";

/** Labels that mark a container as a Longshot sandbox, so orphans can be found by label. */
export const labelKeys = {
  sandbox: "longshot.sandbox",
  run: "longshot.run",
  task: "longshot.task",
  scope: "longshot.scope",
  hostPath: "longshot.host-path",
  repo: "longshot.repo",
} as const;

/** A host directory visible inside the container at `target`. */
export interface BindMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** Everything that shapes one sandbox container. */
export interface ContainerPlan {
  readonly image: string;
  readonly name: string;
  readonly sandboxId: string;
  readonly runId: string;
  readonly taskId: string;
  /** Groups the containers of one orchestrator (for example its repository) for reaping. */
  readonly scope: string;
  /** Host directory holding the sandbox's worktree or bundles, freed when the sandbox goes. */
  readonly hostPath: string;
  /** The orchestrator's repository (for pruning a worktree of an orphan). */
  readonly repoPath: string;
  /** `uid:gid` the container's processes run as. */
  readonly user: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly mounts: readonly BindMount[];
  /** CPU cores (fractions allowed); unlimited when absent. */
  readonly cpus?: number;
  /** Memory limit in MiB, swap included; unlimited when absent. */
  readonly memoryMb?: number;
  readonly pidsLimit: number;
  /** Docker network name, or `none` (the default) for no network at all. */
  readonly network: string;
  /** Size of the container's private `/tmp` (which holds `$HOME`) and the largest file a command may write, in MiB. */
  readonly diskMb?: number;
  /** The container stops by itself after this many seconds, even if the orchestrator died. */
  readonly lifetimeSeconds?: number;
  /** Run Docker's init as PID 1 so orphaned processes are reaped. */
  readonly init: boolean;
}

const mebibyte = 1024 * 1024;

/**
 * The Engine API body that creates a sandbox container: resource limits, no capabilities,
 * no privilege escalation, no network unless asked, and the labels used to find orphans.
 * Pure, so the security-relevant settings are visible in one place.
 */
export function containerCreateOptions(plan: ContainerPlan): Docker.ContainerCreateOptions {
  const memory =
    plan.memoryMb === undefined
      ? {}
      : { Memory: plan.memoryMb * mebibyte, MemorySwap: plan.memoryMb * mebibyte };
  const cpus = plan.cpus === undefined ? {} : { NanoCpus: Math.round(plan.cpus * 1e9) };
  return {
    name: plan.name,
    Image: plan.image,
    // PID 1's child keeps the container alive; it ends by itself after the lifetime, so a
    // container whose orchestrator crashed stops on its own.
    Cmd: [
      "/bin/sh",
      "-c",
      'mkdir -p "$HOME" && exec sleep "$0"',
      plan.lifetimeSeconds === undefined ? "infinity" : String(Math.ceil(plan.lifetimeSeconds)),
    ],
    Entrypoint: [],
    User: plan.user,
    WorkingDir: plan.workdir,
    Env: Object.entries(plan.env).map(([name, value]) => `${name}=${value}`),
    Labels: {
      [labelKeys.sandbox]: plan.sandboxId,
      [labelKeys.run]: plan.runId,
      [labelKeys.task]: plan.taskId,
      [labelKeys.scope]: plan.scope,
      [labelKeys.hostPath]: plan.hostPath,
      [labelKeys.repo]: plan.repoPath,
    },
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    NetworkDisabled: plan.network === "none",
    HostConfig: {
      ...cpus,
      ...memory,
      PidsLimit: plan.pidsLimit,
      NetworkMode: plan.network,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Init: plan.init,
      Mounts: plan.mounts.map((mount) => ({
        Type: "bind" as const,
        Source: mount.source,
        Target: mount.target,
        ReadOnly: mount.readOnly,
      })),
      ...(plan.diskMb === undefined
        ? {}
        : {
            Tmpfs: { "/tmp": `size=${plan.diskMb}m,mode=1777` },
            Ulimits: [{ Name: "fsize", Soft: plan.diskMb * mebibyte, Hard: plan.diskMb * mebibyte }],
          }),
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "none", Config: {} },
    },
  };
}
