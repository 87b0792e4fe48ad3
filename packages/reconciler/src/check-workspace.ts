import { existsSync, rmSync } from "node:fs";
import type { CheckName, Clock, HealthCheck } from "@longshot/core";
import type { Git, GitRunner } from "@longshot/git";
import {
  type CheckCommand,
  type CheckOverrides,
  type CheckPlan,
  detectCheckPlan,
  probedFiles,
} from "./check-plan.js";
import { extractFailures } from "./extract-failures.js";
import type { Failure } from "./failure.js";
import { failureExcerpt } from "./failure-excerpt.js";
import { acceptanceCommand, type HiddenTests } from "./hidden-tests.js";
import { Plumbing } from "./internal/plumbing.js";
import type { ShellRunner } from "./shell-runner.js";
import { parseTestCounts } from "./test-counts.js";
import { isInside } from "./test-files.js";

export interface CheckWorkspaceOptions {
  /** The orchestrator's repository. */
  readonly git: Git;
  readonly gitRunner: GitRunner;
  /** Directory of the reconciler's own worktree (created on first use, reused afterwards). */
  readonly path: string;
  readonly shell: ShellRunner;
  /** Complete environment of check commands (build it with `sandboxEnv`); nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly clock: Clock;
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

/** Dependency directories kept between checkouts, so the install step runs only when needed. */
const kept = ["node_modules", ".venv", "venv", "target", ".pnpm-store", ".yarn/cache"];

/**
 * The reconciler's checkout: a worktree of the repository that no task touches, moved from commit
 * to commit. Runs the install step when the dependency manifests changed since the last good
 * install, then the checks in order (build failing stops the rest), then the hidden acceptance
 * tests copied in from their trusted source. Never runs two commands at once.
 */
export class CheckWorkspace {
  readonly path: string;
  /** The held-out acceptance tests this workspace runs, if any. */
  readonly hidden: HiddenTests | null;
  readonly #options: CheckWorkspaceOptions;
  readonly #plumbing: Plumbing;
  #installed: string | null = null;

  constructor(options: CheckWorkspaceOptions) {
    this.path = options.path;
    this.hidden = options.hidden ?? null;
    this.#options = options;
    this.#plumbing = new Plumbing(options.gitRunner);
  }

  /**
   * Checks `commit`: every check, or with `only` just that one (after its prerequisites:
   * install when needed and the build). Throws AbortError when `signal` aborts.
   */
  async run(
    commit: string,
    options: { readonly only?: CheckName; readonly signal?: AbortSignal } = {},
  ): Promise<CheckRun> {
    const { signal } = options;
    await this.checkout(commit, signal);
    const { plan, manifestKey, files } = await this.#plan(commit, signal);
    const results: { check: HealthCheck; output: string }[] = [];
    const stopped = (): boolean => results.some((result) => !result.check.ok);
    if (plan.install !== null && this.#installed !== manifestKey) {
      const install = await this.#exec(plan.install, signal);
      results.push(install);
      this.#installed = install.check.ok ? manifestKey : null;
    }
    const build = plan.checks.find((check) => check.name === "build");
    const wanted = plan.checks.filter((check) => options.only === undefined || check.name === options.only);
    if (!stopped() && build !== undefined) results.push(await this.#exec(build, signal));
    for (const check of wanted) {
      if (stopped() || check.name === "build") continue;
      results.push(await this.#exec(check, signal));
    }
    const hidden = this.hidden;
    if (hidden !== null && !stopped() && (options.only === undefined || options.only === "acceptance")) {
      results.push(await this.#acceptance(hidden, files, signal));
    }
    const checks = results.map((result) => result.check);
    const failures = results.flatMap((result) => extractFailures(result.check, result.output, this.path));
    return { commit, checks, failures, green: checks.every((check) => check.ok) };
  }

  /** Moves the worktree to `commit` (creating it if needed), discarding everything but dependency caches. */
  async checkout(commit: string, signal?: AbortSignal): Promise<void> {
    const git = this.#options.git;
    if (existsSync(`${this.path}/.git`)) {
      const moved = await this.#plumbing.run(["checkout", "--quiet", "--detach", "--force", commit], {
        cwd: this.path,
        signal,
        accept: [0, 1, 128],
      });
      if (moved.exitCode === 0) {
        const excludes = kept.flatMap((dir) => ["-e", dir]);
        await this.#plumbing.run(["clean", "-ffdxq", ...excludes], { cwd: this.path, signal });
        return;
      }
    }
    rmSync(this.path, { recursive: true, force: true });
    await git.pruneWorktrees(signalOption(signal));
    await git.addWorktree(this.path, { commit, ...signalOption(signal) });
    this.#installed = null;
  }

  /** Removes the worktree. */
  async remove(signal?: AbortSignal): Promise<void> {
    if (existsSync(this.path))
      await this.#options.git.removeWorktree(this.path, signalOption(signal)).catch(() => undefined);
    rmSync(this.path, { recursive: true, force: true });
    await this.#options.git.pruneWorktrees(signalOption(signal));
  }

  async #plan(
    commit: string,
    signal: AbortSignal | undefined,
  ): Promise<{ plan: CheckPlan; manifestKey: string; files: Map<string, string> }> {
    const listing = await this.#plumbing.run(["ls-tree", commit], { cwd: this.#options.git.path, signal });
    const blobs = new Map<string, string>();
    for (const line of listing.stdout.split("\n")) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
      if (match !== null) blobs.set(match[2]!, match[1]!);
    }
    const files = new Map<string, string>();
    for (const name of probedFiles) {
      if (!blobs.has(name)) continue;
      const text = await this.#options.git.readFile(commit, name, signalOption(signal));
      if (text !== null) files.set(name, text);
    }
    const plan = detectCheckPlan(files, this.#options.overrides ?? {});
    const manifestKey = plan.manifests.map((file) => `${file}:${blobs.get(file) ?? "-"}`).join(",");
    return { plan, manifestKey, files };
  }

  async #acceptance(
    hidden: HiddenTests,
    files: ReadonlyMap<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<{ check: HealthCheck; output: string }> {
    await this.#plumbing.run(["rm", "-r", "-q", "-f", "--ignore-unmatch", "--", hidden.path], {
      cwd: this.path,
      signal,
    });
    await this.#plumbing.run(["checkout", "--quiet", hidden.source, "--", hidden.path], {
      cwd: this.path,
      signal,
    });
    const sourceFiles = (await this.#options.git.listFiles(hidden.source, signalOption(signal))).filter(
      (file) => isInside(file, hidden.path),
    );
    const command = hidden.command ?? acceptanceCommand(files, hidden.path, sourceFiles);
    return this.#exec({ name: "acceptance", command }, signal);
  }

  async #exec(
    check: CheckCommand,
    signal: AbortSignal | undefined,
  ): Promise<{ check: HealthCheck; output: string }> {
    const timeoutMs = this.#options.timeoutMs ?? 30 * 60_000;
    const result = await this.#options.shell.run({
      command: check.command,
      cwd: this.path,
      env: this.#options.env,
      timeoutMs,
      maxOutputBytes: this.#options.maxOutputBytes ?? 2 * 1_048_576,
      signal,
    });
    const ok = result.exitCode === 0 && !result.timedOut;
    const counts =
      check.name === "test" || check.name === "acceptance" ? parseTestCounts(result.output) : null;
    const timedOut = result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s\n` : "";
    return {
      check: {
        name: check.name,
        command: check.command,
        ok,
        durationMs: result.durationMs,
        counts,
        excerpt: ok ? "" : `${timedOut}${failureExcerpt(result.output)}`,
      },
      output: result.timedOut ? `${result.output}\nerror: timed out` : result.output,
    };
  }
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
