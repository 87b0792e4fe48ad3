import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, type Clock } from "@longshot/core";
import { Git, type GitRunner } from "@longshot/git";
import { bundleToward, cloneBundleScript } from "../bundle-transfer.js";
import { GatedShellSandbox } from "../gated-shell-sandbox.js";
import { defaultInternalTimeoutMs, throwIfStopped } from "../internal-command.js";
import { OutputCollector } from "../output-collector.js";
import {
  type CommitOptions,
  defaultExecTimeoutMs,
  defaultMaxOutputBytes,
  type ExecOptions,
  type ExecResult,
  type MoveOptions,
  type Sandbox,
  type SandboxIsolation,
  type SandboxLimits,
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
  /** How git runs on the host, for `repo`. */
  readonly hostRunner: GitRunner;
  /** Host directory for bundles, removed on destroy. */
  readonly hostDir: string;
  readonly branch: string;
  readonly baseCommit: string;
  /** Where the repository's history stops (its shallow commits); empty for a full repository. */
  readonly shallowRoots: readonly string[];
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
export class RemoteSandbox extends GatedShellSandbox implements Sandbox {
  readonly id: string;
  readonly provider: string;
  readonly workdir: string;
  readonly branch: string;
  readonly isolation: SandboxIsolation;
  readonly #parts: RemoteSandboxParts;
  /** The commit the workspace was created at or last moved to; later commits build on it. */
  #base: string;
  protected override readonly workspace: ShellWorkspace;
  protected override readonly gate: SandboxGate;
  readonly #baseEnv: Record<string, string>;
  /** `taskset` words put before every command when the CPU limit is enforced that way. */
  #cpuPin: readonly string[] = [];

  constructor(parts: RemoteSandboxParts) {
    super();
    this.#parts = parts;
    this.id = parts.id;
    this.provider = parts.provider;
    this.isolation = parts.isolation;
    this.workdir = parts.paths.workdir;
    this.branch = parts.branch;
    this.#base = parts.baseCommit;
    this.#baseEnv = sandboxEnv({ home: parts.paths.home, tmpdir: parts.paths.tmpDir });
    // Commands here take no stdin, so contents travel through the SDK's file API; see
    // `ShellWorkspaceOptions.files`.
    this.workspace = new ShellWorkspace({
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
    this.gate = new SandboxGate({
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

  get baseCommit(): string {
    return this.#base;
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
      const result = await sandbox.#internal({
        argv: [
          "/bin/sh",
          "-c",
          cloneBundleScript,
          file,
          parts.paths.workdir,
          parts.branch,
          parts.shallowRoots.join(" "),
        ],
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
    return this.gate.run(async () => {
      const { argv, cwd } = await this.prepareCommand(options, this.#parts.limits.network);
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

  commit(options: CommitOptions): Promise<string | null> {
    return this.gate.run(async () => {
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
    return this.gate.run(async () => {
      const signal = signalOf(options.signal);
      const ref = `refs/heads/${this.branch}`;
      const head = await this.#insideGit().revParse(ref, signal);
      if (head === null)
        throw new SandboxError("export-failed", `Branch ${this.branch} is missing inside the sandbox.`);
      const outside = await this.#parts.repo.revParse(ref, signal);
      if (head !== outside && head === this.#base) {
        // Moved, but nothing committed since: the commit is already in the repository.
        await this.#parts.repo.updateRef(ref, head, outside, signal);
      } else if (head !== outside) {
        const remote = `${this.#parts.paths.tmpDir}/.longshot-out.bundle`;
        await this.#insideGit().bundleCreate(remote, [`^${this.#base}`, ref], signal);
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

  /** Brings `commit` in (a bundle of what the sandbox lacks) and checks it out clean, but for `keep`. */
  moveTo(commit: string, options: MoveOptions = {}): Promise<void> {
    return this.gate.run(async () => {
      const signal = signalOf(options.signal);
      const git = async (args: readonly string[], what: string): Promise<void> => {
        const result = await this.#internal({
          argv: ["git", ...args],
          cwd: this.workdir,
          env: this.#baseEnv,
          ...signal,
        });
        if (result.exitCode !== 0) {
          throw new SandboxError("move-failed", `Could not ${what} in the sandbox: ${result.stderr.trim()}`);
        }
      };
      const present = await this.#internal({
        argv: ["git", "cat-file", "-e", `${commit}^{commit}`],
        cwd: this.workdir,
        env: this.#baseEnv,
        ...signal,
      });
      if (present.exitCode !== 0) {
        const local = join(this.#parts.hostDir, "move.bundle");
        const ref = await bundleToward(
          this.#parts.hostRunner,
          this.#parts.repo.path,
          commit,
          this.#base,
          local,
          options.signal,
        );
        const remote = `${this.#parts.paths.tmpDir}/.longshot-move.bundle`;
        await this.#upload(remote, await readFile(local), options.signal);
        await git(
          ["fetch", "--quiet", "--no-tags", remote, `${ref}:refs/longshot/moved`],
          "fetch the bundle",
        );
        await rm(local, { force: true });
      }
      await git(["checkout", "--force", "--quiet", "-B", this.branch, commit], `check out ${commit}`);
      const keep = (options.keep ?? []).flatMap((pattern) => ["-e", pattern]);
      await git(["clean", "-ffdxq", ...keep], "clean the workspace");
      this.#base = commit;
    });
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
