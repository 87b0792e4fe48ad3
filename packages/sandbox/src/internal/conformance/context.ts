import { expect } from "vitest";
import type { Sandbox, SandboxIsolation, SandboxLimits, SandboxProvider } from "../../sandbox.js";
import type { FixtureRepo } from "./fixture-repo.js";

/** How a provider's test file plugs into the conformance suite. */
export interface ConformanceSetup {
  /**
   * Creates a provider. Called once for the suite, and once more for the orphan test (a second
   * provider with the same settings plays the restarted orchestrator). Providers are closed by
   * the suite.
   */
  makeProvider(): SandboxProvider | Promise<SandboxProvider>;
  /**
   * What is left of a destroyed sandbox, as human-readable lines (a worktree directory, a
   * container, a process whose command line contains `marker`); an empty list when nothing is.
   * `repoPath` is the orchestrator's repository the sandbox was created from.
   */
  leftovers(
    sandbox: Sandbox,
    context: { readonly marker: string; readonly repoPath: string },
  ): Promise<readonly string[]>;
  /** The isolation every sandbox of this provider must report. */
  readonly isolation: SandboxIsolation;
  /**
   * Address of the test host as seen from a sandbox with network access, for the network-on
   * test (a server listens on all interfaces). Leave out when sandboxes cannot reach the host.
   */
  readonly hostAddress?: string;
  /** Parent directory of the temporary repositories (must be visible to the provider); the OS temp dir by default. */
  readonly tmpDir?: string;
  /** Limits of the suite's sandboxes, on top of generous defaults with the network off. */
  readonly limits?: Partial<SandboxLimits>;
}

export interface CreateOverrides {
  readonly limits?: Partial<SandboxLimits>;
  readonly env?: Readonly<Record<string, string>>;
  readonly baseCommit?: string;
  readonly provider?: SandboxProvider;
  /** The task (and so the branch `longshot/rconformance/<task>`); a fresh one by default. */
  readonly taskId?: string;
}

/** Shared state of one suite run, handed to each group of cases. */
export interface ConformanceContext {
  readonly setup: ConformanceSetup;
  repo(): FixtureRepo;
  provider(): SandboxProvider;
  /** Creates a sandbox on a task branch (a fresh one by default); the suite destroys it after the test. */
  create(overrides?: CreateOverrides): Promise<Sandbox>;
}

/** Awaits a rejection and checks it is a `SandboxError` (or subclass) with this reason. */
export async function expectSandboxError(
  promise: Promise<unknown>,
  reason: string,
  name?: "SandboxError" | "GuardError" | "AbortError",
): Promise<Error> {
  const error = await promise.then(
    () => new Error(`expected a rejection with reason ${reason}, but it resolved`),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  const fields = error as { name?: unknown; reason?: unknown; message?: unknown };
  if (name !== "AbortError") expect(fields.reason, String(fields.message)).toBe(reason);
  if (name !== undefined) expect(fields.name).toBe(name);
  return error as Error;
}

/** Polls until `check` returns true, failing after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  what = "a condition",
): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
