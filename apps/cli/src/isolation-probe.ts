import { type Config, sandboxKindsOf, UserError } from "@longshot/core";
import { missingCredentials } from "@longshot/sandbox";
import { upperFirst } from "./output.js";
import { checkContext, type SandboxBackends, sandboxBackend } from "./sandbox-backends.js";

/**
 * The isolation a run would get: `isolated` (the provider contains agent code), `off` (the
 * user opted out with SANDBOX_PROVIDER=none), or `unavailable` (the chosen provider cannot
 * isolate here; a run refuses to start).
 */
export interface IsolationReport {
  readonly provider: Config["SANDBOX_PROVIDER"];
  readonly status: "isolated" | "off" | "unavailable";
  /** One sentence: what would contain agent code, or why nothing can. */
  readonly detail: string;
  /** Resource limits that are and are not enforced, for doctor. */
  readonly limits: string;
}

/** Where the probe looks: the sandbox PATH, the environment (LONGSHOT_BWRAP, HOME), and backends to use instead of the real ones (tests). */
export interface IsolationProbeOptions {
  readonly path: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly backends?: SandboxBackends;
}

/** The sentence printed (in red) whenever a run goes ahead without isolation. */
export const unisolatedWarning =
  "SANDBOX_PROVIDER=none: agent commands, builds and tests run on this machine with your user's rights, unisolated.";

/**
 * Finds out whether sandboxes of `kind` (default the configured provider) can contain agent code
 * here, by asking the kind's backend: for `local`, whether bubblewrap can create and enter a
 * sandbox; for `docker`, whether the engine answers and has the worker image; for a cloud
 * service, whether its key is set.
 */
export async function probeIsolation(
  config: Config,
  options: IsolationProbeOptions,
  kind: Config["SANDBOX_PROVIDER"] = config.SANDBOX_PROVIDER,
): Promise<IsolationReport> {
  if (kind === "none")
    return { provider: kind, status: "off", detail: unisolatedWarning, limits: "none enforced" };
  const backend = await sandboxBackend(kind, options.backends);
  const context = checkContext(config, kind, options.path, options.env ?? process.env);
  const missing = missingCredentials(backend, config, context.via);
  if (missing !== null) return { provider: kind, status: "unavailable", detail: missing, limits: "" };
  return { provider: kind, ...(await backend.isolation(context)) };
}

/** The report of every sandbox kind the run uses: its provider's first, then each SANDBOX_ROUTES target's. */
export function probeEveryKind(config: Config, options: IsolationProbeOptions): Promise<IsolationReport[]> {
  return Promise.all(sandboxKindsOf(config).map((kind) => probeIsolation(config, options, kind)));
}

/**
 * Refuses (UserError, exit code 2) when the provider, or any SANDBOX_ROUTES target, cannot
 * isolate here; call it before the first side effect of a run. Returns the run provider's
 * report, so an opted-out run can say so.
 */
export async function requireIsolation(
  config: Config,
  options: IsolationProbeOptions,
): Promise<IsolationReport> {
  const reports = await probeEveryKind(config, options);
  for (const report of reports) {
    if (report.status === "unavailable") {
      throw new UserError(`${upperFirst(report.detail)}.`);
    }
  }
  return reports[0]!;
}
