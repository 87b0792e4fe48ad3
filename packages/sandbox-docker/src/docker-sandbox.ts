import { AbortError, type Clock } from "@longshot/core";
import {
  type CommitOptions,
  defaultExecTimeoutMs,
  defaultInternalTimeoutMs,
  defaultMaxOutputBytes,
  type ExecOptions,
  type ExecResult,
  GatedShellSandbox,
  type MoveOptions,
  OutputCollector,
  type Sandbox,
  SandboxError,
  SandboxGate,
  type SandboxIsolation,
  type SandboxLimits,
  ShellWorkspace,
  sandboxEnv,
  throwIfStopped,
} from "@longshot/sandbox";
import type Docker from "dockerode";
import { type CaptureCommand, captureInContainer, execInContainer } from "./internal/container-exec.js";
import type { Delivery } from "./internal/delivery.js";
import type { StreamName } from "./internal/frame-demuxer.js";

/** What Docker enforces for every sandbox (the container's limits and namespaces). */
export const dockerIsolation: SandboxIsolation = {
  network: true,
  filesystem: true,
  processes: true,
  cpu: true,
  memory: true,
};

/** Home and temp directory of commands, the same whichever user the container runs as. */
export const containerHome = "/tmp/home";
export const containerTmp = "/tmp";

const killedExitCode = 137;

/** Everything a `DockerSandbox` is made of; built by `DockerSandboxProvider.create`. */
export interface DockerSandboxParts {
  readonly id: string;
  readonly container: Docker.Container;
  readonly delivery: Delivery;
  readonly branch: string;
  readonly baseCommit: string;
  readonly limits: SandboxLimits;
  readonly env: Readonly<Record<string, string>>;
  readonly clock: Clock;
}

/**
 * A sandbox that is one Docker container. Commands and file operations run through the
 * engine (`docker exec`), so the same code serves a local and a remote engine; the workspace
 * is a bind-mounted worktree or a clone of a bundle (see `Delivery`). Wall and idle timeouts
 * destroy the container; operations then fail with the reason.
 */
export class DockerSandbox extends GatedShellSandbox implements Sandbox {
  readonly id: string;
  readonly provider = "docker";
  readonly workdir: string;
  readonly branch: string;
  readonly isolation = dockerIsolation;
  #base: string;
  readonly #parts: DockerSandboxParts;
  protected override readonly workspace: ShellWorkspace;
  protected override readonly gate: SandboxGate;

  constructor(parts: DockerSandboxParts) {
    super();
    this.#parts = parts;
    this.id = parts.id;
    this.workdir = parts.delivery.workdir;
    this.branch = parts.branch;
    this.#base = parts.baseCommit;
    // Everything travels through `docker exec`, which takes stdin; see `ShellWorkspaceOptions.files`.
    this.workspace = new ShellWorkspace({
      workdir: this.workdir,
      exec: async (command) => {
        const result = await this.#capture(command);
        return {
          exitCode: result.exitCode,
          stdout: result.stdout.toString("utf8"),
          stderr: result.stderr.toString("utf8"),
        };
      },
    });
    this.gate = new SandboxGate({
      id: parts.id,
      limits: parts.limits,
      clock: parts.clock,
      teardown: async () => {
        await parts.container.remove({ force: true, v: true }).catch(() => undefined);
        await parts.delivery.release().catch(() => undefined);
      },
      failureMessage: `The Docker engine failed to run an operation in sandbox ${parts.id}.`,
      // exec checks by itself once its command ends; see `SandboxGateOptions.recheckOnSuccess`.
      recheckOnSuccess: false,
    });
  }

  get baseCommit(): string {
    return this.#base;
  }

  /**
   * Wraps a started container and makes its workspace ready (the bundle is cloned, for
   * example). Destroys the container when that fails.
   */
  static async start(parts: DockerSandboxParts, signal: AbortSignal | undefined): Promise<DockerSandbox> {
    const sandbox = new DockerSandbox(parts);
    try {
      await parts.delivery.populate(sandbox.#capture, signal);
    } catch (error) {
      await sandbox.destroy();
      throw error;
    }
    return sandbox;
  }

  async exec(options: ExecOptions): Promise<ExecResult> {
    return this.gate.run(async () => {
      const { argv, cwd } = await this.prepareCommand(options, this.#parts.limits.network);
      const cap = options.maxOutputBytes ?? defaultMaxOutputBytes;
      const collected = { stdout: new OutputCollector(cap), stderr: new OutputCollector(cap) };
      const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      const listeners = { stdout: options.onStdout, stderr: options.onStderr };
      const onOutput = (stream: StreamName, chunk: Buffer): void => {
        collected[stream].push(chunk);
        const text = decoders[stream].decode(chunk, { stream: true });
        if (text !== "") listeners[stream]?.(text);
      };
      const started = this.#parts.clock.now();
      const outcome = await execInContainer(
        this.#parts.container,
        {
          argv,
          cwd,
          env: sandboxEnv({ home: containerHome, tmpdir: containerTmp }, this.#parts.env, options.env),
          timeoutMs: options.timeoutMs ?? defaultExecTimeoutMs,
          onOutput,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
        this.#parts.clock,
      );
      await this.gate.throwIfGone();
      if (outcome.stop === "abort") throw new AbortError("The command was cancelled.");
      if (outcome.exitCode === null && outcome.stop === undefined) {
        throw new SandboxError("exec-failed", "The command's container stopped unexpectedly.");
      }
      return {
        exitCode: outcome.exitCode ?? killedExitCode,
        stdout: collected.stdout.text(),
        stderr: collected.stderr.text(),
        timedOut: outcome.stop === "timeout",
        truncated: collected.stdout.truncated || collected.stderr.truncated,
        durationMs: Math.max(0, this.#parts.clock.now() - started),
      };
    });
  }

  commit(options: CommitOptions): Promise<string | null> {
    return this.gate.run(() => this.#parts.delivery.commit(this.#capture, options));
  }

  exportResult(options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    return this.gate.run(() => this.#parts.delivery.exportResult(this.#capture, options.signal));
  }

  moveTo(commit: string, options: MoveOptions = {}): Promise<void> {
    return this.gate.run(async () => {
      await this.#parts.delivery.moveTo(this.#capture, commit, options.keep ?? [], options.signal);
      this.#base = commit;
    });
  }

  readonly #capture: CaptureCommand = async (request) => {
    const result = await captureInContainer(
      this.#parts.container,
      { ...request, timeoutMs: request.timeoutMs ?? defaultInternalTimeoutMs },
      this.#parts.clock,
    );
    throwIfStopped(result.stop, request.argv);
    return result;
  };
}
