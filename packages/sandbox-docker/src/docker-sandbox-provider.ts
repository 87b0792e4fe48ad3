import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AbortError, type Clock, messageOf, systemClock } from "@longshot/core";
import { type GitRunner, ProcessGitRunner } from "@longshot/git";
import {
  defaultDiskMb,
  type Sandbox,
  type SandboxCreateOptions,
  SandboxError,
  type SandboxProvider,
  type SocketMount,
  sandboxEnv,
} from "@longshot/sandbox";
import Docker from "dockerode";
import { containerHome, containerTmp, DockerSandbox } from "./docker-sandbox.js";
import { prepareBundle } from "./internal/bundle-delivery.js";
import { containerCreateOptions } from "./internal/container-options.js";
import type { Delivery } from "./internal/delivery.js";
import { reapOrphans } from "./internal/orphans.js";
import { prepareWorktree } from "./internal/worktree-delivery.js";

/** Options of {@link DockerSandboxProvider}. */
export interface DockerSandboxProviderOptions {
  /**
   * The engine: a dockerode client, or its connection options. Default: the local socket
   * `/var/run/docker.sock`. Apps honour DOCKER_HOST by passing `new Docker()` (dockerode
   * reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself).
   */
  readonly docker?: Docker | Docker.DockerOptions;
  /** Worker image; default `longshot-worker:latest` (scripts/build-worker-image.sh or docker/Dockerfile). */
  readonly image?: string;
  /**
   * Host directory for worktrees and bundles (created when missing). Sandboxes of providers
   * with the same `workspaceRoot` (and `scope`) are one family for `cleanOrphans`. A tmpfs
   * (such as a directory under /dev/shm) makes worktree checkout fastest.
   */
  readonly workspaceRoot: string;
  /**
   * `worktree` (default): a worktree bind-mounted at the same path, with the repository's git
   * directory; needs an engine that sees the host's disk. `bundle`: the repository travels as
   * a git bundle through the Engine API, for remote engines.
   */
  readonly delivery?: "worktree" | "bundle";
  /** Label value grouping this provider's containers for `cleanOrphans`; default `workspaceRoot`. */
  readonly scope?: string;
  /**
   * `uid:gid` of the container's processes. Default: the owner of the worktree (so files stay
   * writable on both sides) with `worktree`, `1000:1000` (the image's `longshot`) with `bundle`.
   */
  readonly user?: string;
  /** Most processes a sandbox may run at once; default 4096. */
  readonly pidsLimit?: number;
  /** Docker network for sandboxes created with `limits.network`; default `bridge`. */
  readonly networkName?: string;
  /** Workspace path inside the container with `bundle` delivery; default `/home/longshot/workspace`. */
  readonly bundleWorkdir?: string;
  /** Run Docker's init as PID 1 (reaps zombies); default true. */
  readonly init?: boolean;
  /**
   * Unix sockets on the host bound into every container at `inside` (the model gateway's): the
   * only way out of a container without network. Needs an engine on this machine.
   */
  readonly sockets?: readonly SocketMount[];
  readonly clock?: Clock;
  /** How git runs on the host; default `ProcessGitRunner`. */
  readonly gitRunner?: GitRunner;
}

/** Default worker image. */
export const defaultDockerImage = "longshot-worker:latest";

/** A container outlives its wall timeout by this much, so the orchestrator's timer acts first. */
const lifetimeGraceSeconds = 60;

/**
 * Creates one Docker container per task attempt (see `DockerSandbox`): CPU (clamped to the
 * engine's cores), memory and PID limits, every capability dropped, no privilege escalation, no network unless
 * `limits.network`, and labels (`longshot.sandbox`, `longshot.run`, `longshot.task`,
 * `longshot.scope`) by which `cleanOrphans` finds what a crashed orchestrator left behind.
 */
export class DockerSandboxProvider implements SandboxProvider {
  readonly name = "docker";
  readonly docker: Docker;
  readonly image: string;
  readonly #options: DockerSandboxProviderOptions;
  readonly #root: string;
  readonly #scope: string;
  readonly #clock: Clock;
  readonly #runner: GitRunner;
  #engineCpus: Promise<number> | undefined;

  constructor(options: DockerSandboxProviderOptions) {
    this.#options = options;
    this.docker = isDockerClient(options.docker)
      ? options.docker
      : new Docker(options.docker ?? { socketPath: "/var/run/docker.sock" });
    this.image = options.image ?? defaultDockerImage;
    this.#root = resolve(options.workspaceRoot);
    this.#scope = options.scope ?? this.#root;
    this.#clock = options.clock ?? systemClock;
    this.#runner = options.gitRunner ?? new ProcessGitRunner();
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    if (options.signal?.aborted) throw new AbortError();
    const id = sandboxIdFor(options.runId, options.taskId);
    await mkdir(this.#root, { recursive: true });
    let delivery: Delivery | undefined;
    let container: Docker.Container | undefined;
    try {
      delivery = await this.#prepare(id, options);
      const env = sandboxEnv({ home: containerHome, tmpdir: containerTmp });
      container = await this.docker.createContainer(
        containerCreateOptions({
          image: this.image,
          name: `longshot-${id}`,
          sandboxId: id,
          runId: options.runId,
          taskId: options.taskId,
          scope: this.#scope,
          hostPath: delivery.hostPath,
          repoPath: resolve(options.repoPath),
          user: delivery.user,
          workdir: containerTmp,
          env,
          mounts: [
            ...delivery.mounts,
            ...(this.#options.sockets ?? []).map((socket) => ({
              source: socket.host,
              target: socket.inside,
              readOnly: false,
            })),
          ],
          cpus: Math.min(options.limits.cpuCores, await this.#cpusOfEngine()),
          memoryMb: options.limits.memoryMb,
          pidsLimit: this.#options.pidsLimit ?? 4096,
          diskMb: options.limits.diskMb ?? defaultDiskMb,
          network: options.limits.network ? (this.#options.networkName ?? "bridge") : "none",
          lifetimeSeconds: options.limits.wallTimeoutMs / 1000 + lifetimeGraceSeconds,
          init: this.#options.init ?? true,
        }),
      );
      await container.start();
      return await DockerSandbox.start(
        {
          id,
          container,
          delivery,
          branch: options.branch,
          baseCommit: options.baseCommit,
          limits: options.limits,
          env: options.env ?? {},
          clock: this.#clock,
        },
        options.signal,
      );
    } catch (error) {
      await container?.remove({ force: true, v: true }).catch(() => undefined);
      await delivery?.release().catch(() => undefined);
      if (options.signal?.aborted) throw new AbortError(undefined, { cause: error });
      throw new SandboxError("create-failed", this.#createFailure(error), {
        cause: error,
        fields: { sandboxId: id },
      });
    }
  }

  async cleanOrphans(
    liveIds: readonly string[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly string[]> {
    return reapOrphans({
      docker: this.docker,
      scope: this.#scope,
      workspaceRoot: this.#root,
      liveIds,
      runner: this.#runner,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** Nothing is pooled: live sandboxes are left alone. */
  async close(): Promise<void> {}

  /** The engine refuses a CPU limit above its core count, so limits are clamped to it. */
  #cpusOfEngine(): Promise<number> {
    if (this.#engineCpus === undefined) {
      const pending = this.docker
        .info()
        .then((info: { NCPU?: unknown }) =>
          typeof info.NCPU === "number" && info.NCPU > 0 ? info.NCPU : Number.POSITIVE_INFINITY,
        );
      pending.catch(() => {
        this.#engineCpus = undefined;
      });
      this.#engineCpus = pending;
    }
    return this.#engineCpus;
  }

  #prepare(id: string, options: SandboxCreateOptions): Promise<Delivery> {
    const common = {
      repoPath: resolve(options.repoPath),
      baseCommit: options.baseCommit,
      branch: options.branch,
      hostPath: join(this.#root, id),
      runner: this.#runner,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    if (this.#options.delivery === "bundle") {
      return prepareBundle({
        ...common,
        workdir: this.#options.bundleWorkdir ?? "/home/longshot/workspace",
        user: this.#options.user ?? "1000:1000",
        env: sandboxEnv({ home: containerHome, tmpdir: containerTmp }),
      });
    }
    return prepareWorktree({
      ...common,
      ...(this.#options.user === undefined ? {} : { user: this.#options.user }),
    });
  }

  #createFailure(error: unknown): string {
    const message = messageOf(error);
    if (/no such image/i.test(message)) {
      return `Docker image ${this.image} is missing; build it with scripts/build-worker-image.sh (offline) or docker build -t ${this.image} -f docker/Dockerfile docker.`;
    }
    if (/ECONNREFUSED|ENOENT.*docker\.sock|connect/i.test(message)) {
      return `Cannot reach the Docker engine (${message}); start dockerd or set DOCKER_HOST.`;
    }
    return `Could not create a Docker sandbox: ${message}`;
  }
}

/** A client rather than options (duck-typed: the app's dockerode may be another copy of the module). */
function isDockerClient(value: Docker | Docker.DockerOptions | undefined): value is Docker {
  return typeof (value as { createContainer?: unknown } | undefined)?.createContainer === "function";
}

/** A readable, unique sandbox id that is also a valid container name suffix. */
export function sandboxIdFor(runId: string, taskId: string): string {
  const clean = (text: string): string => text.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 60);
  return `${clean(runId)}-${clean(taskId)}-${randomBytes(3).toString("hex")}`;
}
