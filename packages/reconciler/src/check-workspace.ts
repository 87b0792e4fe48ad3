import { type CheckName, type HealthCheck, messageOf } from "@longshot/core";
import { type Git, type GitRunner, listTree } from "@longshot/git";
import { type Sandbox, SandboxError } from "@longshot/sandbox";
import {
  type CheckCommand,
  type CheckOverrides,
  type CheckPlan,
  detectCheckPlan,
  probedFiles,
} from "./check-plan.js";
import { type CheckOutcome, runCheckCommand, runCheckPlan } from "./check-runner.js";
import { extractFailures } from "./extract-failures.js";
import type { Failure } from "./failure.js";
import { acceptanceCommand, type HiddenTests } from "./hidden-tests.js";
import { isInside } from "./test-files.js";

/**
 * Opens a sandbox of the run's provider at `commit` for checks: `checks` is the long-lived
 * one moved from commit to commit, `acceptance` runs the held-out tests once and is destroyed.
 */
export type OpenCheckSandbox = (
  purpose: "checks" | "acceptance",
  commit: string,
  signal?: AbortSignal,
) => Promise<Sandbox>;

export interface CheckWorkspaceOptions {
  /** The orchestrator's repository: the plan and the held-out tests are read from it, never run there. */
  readonly git: Git;
  readonly gitRunner: GitRunner;
  readonly openSandbox: OpenCheckSandbox;
  /** Configured commands; detection fills the rest. */
  readonly overrides?: CheckOverrides | undefined;
  readonly hidden?: HiddenTests | null | undefined;
  /** Per command; default 30 minutes. */
  readonly timeoutMs?: number | undefined;
  /** Output kept per command (head and tail); default 2 MiB. */
  readonly maxOutputBytes?: number | undefined;
}

/** The checks of one commit, with the distinct failures they reported. */
export interface CheckRun {
  readonly commit: string;
  readonly checks: readonly HealthCheck[];
  readonly failures: readonly Failure[];
  readonly green: boolean;
}

/** Dependency directories kept between commits, so the install step runs only when needed. */
const kept = ["node_modules", ".venv", "venv", "target", ".pnpm-store", ".yarn/cache"];

/**
 * The reconciler's checks, run in sandboxes of the run's provider and never on the host: a warm
 * sandbox moved from commit to commit (dependency caches kept, the install step run only when
 * the manifests changed since the last good install), then the held-out acceptance tests in a
 * fresh sandbox of their own that is destroyed afterwards, so nothing a test wrote next to
 * them survives into later checks. Never runs two commands at once.
 */
export class CheckWorkspace {
  /** The held-out acceptance tests this workspace runs, if any. */
  readonly hidden: HiddenTests | null;
  readonly #options: CheckWorkspaceOptions;
  #sandbox: Sandbox | null = null;
  #installed: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: CheckWorkspaceOptions) {
    this.hidden = options.hidden ?? null;
    this.#options = options;
  }

  /**
   * Checks `commit`: every check, or with `only` just that one (after its prerequisites:
   * install when needed and the build). Throws AbortError when `signal` aborts, and what the
   * provider throws when no sandbox can be made at the commit.
   */
  run(
    commit: string,
    options: { readonly only?: CheckName; readonly signal?: AbortSignal } = {},
  ): Promise<CheckRun> {
    const next = this.#queue.then(() => this.#run(commit, options));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Destroys the warm sandbox (its worktree and processes). */
  async close(): Promise<void> {
    await this.#queue;
    await this.#drop();
  }

  async #drop(): Promise<void> {
    const sandbox = this.#sandbox;
    this.#sandbox = null;
    await sandbox?.destroy().catch(() => undefined);
  }

  async #run(
    commit: string,
    options: { readonly only?: CheckName; readonly signal?: AbortSignal },
  ): Promise<CheckRun> {
    const { signal } = options;
    const { plan, manifestKey, files } = await this.#plan(commit, signal);
    let { outcomes, workdir } = await this.#inWarmSandbox(commit, plan, manifestKey, options).catch(
      async (error: unknown) => {
        // A sandbox that died (idle or wall timeout, a killed engine) is replaced once.
        if (!(error instanceof SandboxError) || signal?.aborted) throw error;
        await this.#drop();
        return this.#inWarmSandbox(commit, plan, manifestKey, options);
      },
    );
    const hidden = this.hidden;
    const stopped = outcomes.some((outcome) => !outcome.check.ok);
    if (hidden !== null && !stopped && (options.only === undefined || options.only === "acceptance")) {
      outcomes = [...outcomes, await this.#acceptance(commit, hidden, plan, files, signal)];
    }
    const checks = outcomes.map((outcome) => outcome.check);
    const failures = outcomes.flatMap((outcome) => extractFailures(outcome.check, outcome.output, workdir));
    return { commit, checks, failures, green: checks.every((check) => check.ok) };
  }

  async #inWarmSandbox(
    commit: string,
    plan: CheckPlan,
    manifestKey: string,
    options: { readonly only?: CheckName; readonly signal?: AbortSignal },
  ): Promise<{ outcomes: CheckOutcome[]; workdir: string }> {
    const { signal } = options;
    let sandbox = this.#sandbox;
    if (sandbox === null) {
      sandbox = await this.#options.openSandbox("checks", commit, signal);
      this.#sandbox = sandbox;
      this.#installed = null;
    } else if (sandbox.baseCommit !== commit) {
      await sandbox.moveTo(commit, { keep: kept, ...(signal === undefined ? {} : { signal }) });
    }
    const install = plan.install !== null && this.#installed !== manifestKey;
    const outcomes = await runCheckPlan(sandbox, plan, {
      ...this.#limits(signal),
      install,
      ...(options.only === undefined || options.only === "acceptance" ? {} : { only: options.only }),
    });
    if (install) this.#installed = outcomes[0]?.check.ok === true ? manifestKey : null;
    return { outcomes, workdir: sandbox.workdir };
  }

  /**
   * The held-out tests, copied from their trusted source into a fresh sandbox at `commit`
   * (after the install and the build there), run, and destroyed with the sandbox.
   */
  async #acceptance(
    commit: string,
    hidden: HiddenTests,
    plan: CheckPlan,
    files: ReadonlyMap<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<CheckOutcome> {
    const sourceFiles = (
      await this.#options.git.listFiles(hidden.source, signal === undefined ? {} : { signal })
    ).filter((file) => isInside(file, hidden.path));
    const command = hidden.command ?? acceptanceCommand(files, hidden.path, sourceFiles);
    const check: CheckCommand = { name: "acceptance", command };
    let sandbox: Sandbox | null = null;
    try {
      sandbox = await this.#options.openSandbox("acceptance", commit, signal);
      const prepared = await runCheckPlan(
        sandbox,
        { ...plan, checks: plan.checks.filter((entry) => entry.name === "build") },
        this.#limits(signal),
      );
      const broken = prepared.find((outcome) => !outcome.check.ok);
      if (broken !== undefined)
        return { check: { ...broken.check, name: "acceptance", command }, output: broken.output };
      await sandbox.exec({
        argv: ["rm", "-rf", "--", hidden.path],
        ...(signal === undefined ? {} : { signal }),
      });
      for (const file of sourceFiles) {
        const content = await this.#options.git.readFile(
          hidden.source,
          file,
          signal === undefined ? {} : { signal },
        );
        if (content !== null) await sandbox.writeFile(file, content, signal === undefined ? {} : { signal });
      }
      return await runCheckCommand(sandbox, check, this.#limits(signal));
    } catch (error) {
      if (signal?.aborted || !(error instanceof SandboxError)) throw error;
      const message = `the acceptance sandbox failed: ${messageOf(error)}`;
      return {
        check: { name: "acceptance", command, ok: false, durationMs: 0, counts: null, excerpt: message },
        output: message,
      };
    } finally {
      await sandbox?.destroy().catch(() => undefined);
    }
  }

  #limits(signal: AbortSignal | undefined): {
    timeoutMs?: number;
    maxOutputBytes?: number;
    signal?: AbortSignal;
  } {
    return {
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      ...(this.#options.maxOutputBytes === undefined ? {} : { maxOutputBytes: this.#options.maxOutputBytes }),
      ...(signal === undefined ? {} : { signal }),
    };
  }

  async #plan(
    commit: string,
    signal: AbortSignal | undefined,
  ): Promise<{ plan: CheckPlan; manifestKey: string; files: Map<string, string> }> {
    const git = this.#options.git;
    const listing = await listTree(git.path, commit, {
      runner: this.#options.gitRunner,
      ...(signal === undefined ? {} : { signal }),
    });
    const blobs = new Map<string, string>();
    for (const entry of listing) if (entry.type === "blob") blobs.set(entry.name, entry.sha);
    const files = new Map<string, string>();
    for (const name of probedFiles) {
      if (!blobs.has(name)) continue;
      const text = await git.readFile(commit, name, signal === undefined ? {} : { signal });
      if (text !== null) files.set(name, text);
    }
    const plan = detectCheckPlan(files, this.#options.overrides ?? {});
    const manifestKey = plan.manifests.map((file) => `${file}:${blobs.get(file) ?? "-"}`).join(",");
    return { plan, manifestKey, files };
  }
}
