import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, type Clock, throwIfAborted } from "@longshot/core";
import { Git } from "@longshot/git";
import { commandArgv } from "../command-argv.js";
import { guardCommand } from "../command-guard.js";
import { defaultInternalTimeoutMs, throwIfStopped } from "../internal-command.js";
import { OutputCollector } from "../output-collector.js";
import {
  type CommitOptions,
  defaultExecTimeoutMs,
  defaultMaxOutputBytes,
  type ExecOptions,
  type ExecResult,
  type FileList,
  type ListFilesOptions,
  type ReadFileOptions,
  type Sandbox,
  type SandboxIsolation,
  type SandboxLimits,
  type SearchOptions,
  type SearchResult,
} from "../sandbox.js";
import { sandboxEnv } from "../sandbox-env.js";
import { SandboxError } from "../sandbox-error.js";
import { SandboxGate } from "../sandbox-gate.js";
import { ShellWorkspace } from "../shell-workspace.js";
import { type RemoteCommand, type RemoteOutcome, runRemote } from "./remote-exec.js";
import { RemoteGitRunner } from "./remote-git-runner.js";
import type { RemoteService } from "./remote-service.js";
import type { SessionKeeper } from "./session-keeper.js";

const killedExitCode = 137;

/** Paths inside a remote sandbox. */
export interface RemotePaths {
  readonly workdir: string;
  readonly home: string;
  readonly tmpDir: string;
}

/** Everything a `RemoteSandbox` is made of; built by a provider's `create`. */
export interface RemoteSandboxParts {
  /** Provider name reported by the sandbox (`e2b`, `modal`). */
  readonly provider: string;
  /** Human name of the service, for error messages (`E2B`, `Modal`). */
  readonly service: string;
  readonly isolation: SandboxIsolation;
  readonly id: string;
  readonly keeper: SessionKeeper;
  readonly client: RemoteService;
  readonly paths: RemotePaths;
  readonly repo: Git;
  /** Host directory for bundles, removed on destroy. */
  readonly hostDir: string;
  readonly branch: string;
  readonly baseCommit: string;
  readonly limits: SandboxLimits;
  readonly env: Readonly<Record<string, string>>;
  readonly clock: Clock;
  /**
   * Pin commands to `limits.cpuCores` cores (rounded up) with `taskset` when the machine has
   * more: for services whose machine size is fixed elsewhere (an E2B template).
   */
  readonly pinCpus?: boolean;
}

/**
 * A sandbox that is one machine of a remote service (an E2B microVM, a Modal sandbox). The
 * repository arrives as a git bundle and the result leaves as one, so the sandbox never holds
 * git credentials; the service's key stays with the client. Commands run through the SDK in
 * their own session so timeouts kill the whole tree; wall and idle timeouts kill the sandbox.
 */
export class RemoteSandbox implements Sandbox {
  readonly id: string;
  readonly provider: string;
  readonly workdir: string;
  readonly branch: string;
  readonly baseCommit: string;
  readonly isolation: SandboxIsolation;
  readonly #parts: RemoteSandboxParts;
  readonly #workspace: ShellWorkspace;
  readonly #gate: SandboxGate;
  readonly #baseEnv: Record<string, string>;
  /** `taskset` words put before every command when the CPU limit is enforced that way. */
  #cpuPin: readonly string[] = [];

  constructor(parts: RemoteSandboxParts) {
    this.#parts = parts;
    this.id = parts.id;
    this.provider = parts.provider;
    this.isolation = parts.isolation;
    this.workdir = parts.paths.workdir;
    this.branch = parts.branch;
    this.baseCommit = parts.baseCommit;
    this.#baseEnv = sandboxEnv({ home: parts.paths.home, tmpdir: parts.paths.tmpDir });
    // Commands here take no stdin, so contents travel through the SDK's file API; see
    // `ShellWorkspaceOptions.files`.
    this.#workspace = new ShellWorkspace({
      workdir: this.workdir,
      exec: async ({ argv, cwd, signal }) =>
        this.#internal({
          argv,
          ...(cwd === undefined ? {} : { cwd }),
          ...signalOf(signal),
          idempotent: true,
        }),
      files: {
        readFile: (path, signal) =>
          parts.keeper.call((session) => session.readFile(path, signalOf(signal)), { idempotent: true }),
        writeFile: (path, data, signal) => this.#upload(path, data, signal),
      },
    });
    this.#gate = new SandboxGate({
      id: parts.id,
      limits: parts.limits,
      clock: parts.clock,
      teardown: async () => {
        await parts.keeper
          .call(() => parts.client.kill(parts.keeper.sandboxId), { idempotent: true })
          .catch(() => undefined);
        await rm(parts.hostDir, { recursive: true, force: true });
      },
      failureMessage: `${parts.service} failed to run an operation in sandbox ${parts.id}.`,
      recheckOnSuccess: true,
    });
  }

  /** Clones the uploaded bundle into the workspace; kills the sandbox when that fails. */
  static async start(
    parts: RemoteSandboxParts,
    bundle: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<RemoteSandbox> {
    const sandbox = new RemoteSandbox(parts);
    try {
      const file = `${parts.paths.tmpDir}/.longshot-in.bundle`;
      await sandbox.#upload(file, bundle, signal);
      const clone =
        'git clone --quiet --branch "$2" "$0" "$1" && git -C "$1" remote remove origin && rm -f "$0"';
      const result = await sandbox.#internal({
        argv: ["/bin/sh", "-c", clone, file, parts.paths.workdir, parts.branch],
        env: sandbox.#baseEnv,
        ...signalOf(signal),
      });
      if (result.exitCode !== 0)
        throw new SandboxError("create-failed", `Could not clone the bundle: ${result.stderr.trim()}`);
      if (parts.pinCpus === true) await sandbox.#pinCpus(signal);
    } catch (error) {
      await sandbox.destroy();
      throw error;
    }
    return sandbox;
  }

  exec(options: ExecOptions): Promise<ExecResult> {
    return this.#gate.run(async () => {
      throwIfAborted(options.signal);
      const argv = commandArgv(options);
      guardCommand(options.command ?? argv, { network: this.#parts.limits.network });
      const { path: cwd } = await this.#workspace.resolve(options.cwd ?? "", options.signal);
      const cap = options.maxOutputBytes ?? defaultMaxOutputBytes;
      const stdout = new OutputCollector(cap);
      const stderr = new OutputCollector(cap);
      const started = this.#parts.clock.now();
      const outcome = await this.#run({
        argv: [...this.#cpuPin, ...argv],
        cwd,
        env: sandboxEnv(
          { home: this.#parts.paths.home, tmpdir: this.#parts.paths.tmpDir },
          this.#parts.env,
          options.env,
        ),
        timeoutMs: options.timeoutMs ?? defaultExecTimeoutMs,
        onStdout: (chunk) => {
          stdout.push(chunk);
          options.onStdout?.(chunk);
        },
        onStderr: (chunk) => {
          stderr.push(chunk);
          options.onStderr?.(chunk);
        },
        ...signalOf(options.signal),
      });
      if (outcome.stop === "abort") throw new AbortError("The command was cancelled.");
      return {
        exitCode: outcome.stop === "timeout" ? killedExitCode : outcome.exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut: outcome.stop === "timeout",
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.max(0, this.#parts.clock.now() - started),
      };
    });
  }

  readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    return this.#gate.run(() => this.#workspace.readFile(path, options));
  }

  writeFile(
    path: string,
    content: string | Uint8Array,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.#gate.run(() => this.#workspace.writeFile(path, content, options.signal));
  }

  listFiles(dir = "", options: ListFilesOptions = {}): Promise<FileList> {
    return this.#gate.run(() => this.#workspace.listFiles(dir, options));
  }

  search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    return this.#gate.run(() => this.#workspace.search(pattern, options));
  }

  commit(options: CommitOptions): Promise<string | null> {
    return this.#gate.run(async () => {
      try {
        return await this.#insideGit().commitAll(options.message, options.author, signalOf(options.signal));
      } catch (error) {
        if (error instanceof SandboxError || options.signal?.aborted) throw error;
        throw new SandboxError("commit-failed", `Could not commit the work of branch ${this.branch}.`, {
          cause: error,
        });
      }
    });
  }

  /** Bundles `base..branch` inside the sandbox, downloads it and fetches it into the repository. */
  exportResult(options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    return this.#gate.run(async () => {
      const signal = signalOf(options.signal);
      const ref = `refs/heads/${this.branch}`;
      const head = await this.#insideGit().revParse(ref, signal);
      if (head === null)
        throw new SandboxError("export-failed", `Branch ${this.branch} is missing inside the sandbox.`);
      if (head !== (await this.#parts.repo.revParse(ref, signal))) {
        const remote = `${this.#parts.paths.tmpDir}/.longshot-out.bundle`;
        await this.#insideGit().bundleCreate(remote, [`^${this.baseCommit}`, ref], signal);
        const bytes = await this.#parts.keeper.call((session) => session.readFile(remote, signal), {
          idempotent: true,
        });
        const local = join(this.#parts.hostDir, "out.bundle");
        await writeFile(local, bytes);
        await this.#parts.repo.fetchBundle(local, [`+${ref}:${ref}`], signal);
      }
      return head;
    });
  }

  /** Kills the sandbox and removes the host's bundles. */
  async destroy(_options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    await this.#gate.destroy("destroyed");
  }

  #insideGit(): Git {
    const runner = new RemoteGitRunner(
      {
        run: (command) => this.#internalOutcome(command),
        upload: (path, data, signal) => this.#upload(path, data, signal),
      },
      this.#baseEnv,
      this.#parts.paths.tmpDir,
    );
    return new Git(this.workdir, { runner });
  }

  #run(command: RemoteCommand): Promise<RemoteOutcome> {
    return runRemote(this.#parts.keeper, command, this.#parts.clock, this.#parts.paths.tmpDir);
  }

  /** Counts the machine's cores; with more than the limit, commands are pinned to the first ones. */
  async #pinCpus(signal: AbortSignal | undefined): Promise<void> {
    const wanted = Math.max(1, Math.ceil(this.#parts.limits.cpuCores));
    const probe = await this.#internal({
      argv: ["/bin/sh", "-c", "nproc --all && command -v taskset"],
      env: this.#baseEnv,
      ...signalOf(signal),
    });
    const [cores, taskset] = probe.stdout.trim().split("\n");
    if (Number(cores) > wanted && taskset !== undefined && taskset !== "") {
      this.#cpuPin = [taskset, "--cpu-list", `0-${wanted - 1}`];
    }
  }

  /** An internal command (probe, list, git): a timeout is a failure, an abort an `AbortError`. */
  async #internalOutcome(command: RemoteCommand): Promise<RemoteOutcome> {
    const outcome = await this.#run({ ...command, timeoutMs: command.timeoutMs ?? defaultInternalTimeoutMs });
    throwIfStopped(outcome.stop, command.argv);
    return outcome;
  }

  async #internal(command: RemoteCommand): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.#internalOutcome(command);
  }

  #upload(path: string, data: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    return this.#parts.keeper.call((session) => session.writeFile(path, data, signalOf(signal)), {
      idempotent: true,
    });
  }
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
