import { tmpdir } from "node:os";
import { type Config, messageOf, silentLogger } from "@longshot/core";
import { Git, type GitOperationOptions, type GitVersion, GitVersionError } from "@longshot/git";
import { probeHarness } from "../harness-check.js";
import { type IsolationProbeOptions, type IsolationReport, probeEveryKind } from "../isolation-probe.js";
import { type Output, paint } from "../output.js";
import type { DoctorCheck, DoctorContext, DoctorProbe } from "./doctor-check.js";
import { endpointChecks } from "./doctor-endpoints.js";
import { modelsProbe, repositoryProbe } from "./doctor-run-checks.js";

export type { CheckStatus, DoctorCheck, DoctorContext, DoctorProbe } from "./doctor-check.js";

/**
 * Whether git is there and new enough for the merge queue (`merge-tree --write-tree`, 2.38);
 * `runner` is how git runs (default a `ProcessGitRunner`).
 */
export async function checkGit(options: GitOperationOptions = {}): Promise<DoctorCheck> {
  const signal = AbortSignal.any([AbortSignal.timeout(10_000), ...(options.signal ? [options.signal] : [])]);
  let found: GitVersion;
  try {
    found = await new Git(tmpdir(), options.runner ? { runner: options.runner } : {}).version({ signal });
  } catch (error) {
    const missing = error instanceof GitVersionError;
    return {
      name: "git",
      status: "fail",
      detail: missing
        ? "git is not installed; install git 2.38 or newer"
        : `git does not answer: ${messageOf(error)}`,
    };
  }
  const ok = found.capabilities.mergeTreeWriteTree;
  return {
    name: "git",
    status: ok ? "ok" : "fail",
    detail: ok
      ? found.text
      : `${found.text}: the merge queue needs git 2.38 or newer (merge-tree --write-tree)`,
  };
}

function checkNode(): DoctorCheck {
  const major = Number(process.versions.node.split(".")[0]);
  return {
    name: "node",
    status: major >= 22 ? "ok" : "fail",
    detail:
      major >= 22
        ? `v${process.versions.node}`
        : `v${process.versions.node}: longshot needs Node 22 or newer`,
  };
}

function checkKeys(config: Config): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const endpoints = config.LLM_ENDPOINTS ?? [];
  if (endpoints.length > 0) {
    const withoutKey = endpoints
      .filter((endpoint) => endpoint.apiKey === "")
      .map((endpoint) => endpoint.name);
    checks.push({
      name: "keys",
      status: withoutKey.length === 0 ? "ok" : "warn",
      detail:
        withoutKey.length === 0
          ? `${endpoints.length} endpoint key(s) present`
          : `no apiKey for ${withoutKey.join(", ")} (fine for local servers)`,
    });
  } else if (config.LLM_BASE_URL !== undefined) {
    checks.push({
      name: "keys",
      status: config.LLM_API_KEY ? "ok" : "warn",
      detail: config.LLM_API_KEY ? "LLM_API_KEY present" : "LLM_API_KEY is unset (fine for local servers)",
    });
  }
  return checks;
}

/** An external CLI harness, run (`--version`) inside a sandbox of the configured provider. */
async function harnessProbe(config: Config): Promise<DoctorCheck[]> {
  const harness = await probeHarness(config, silentLogger(), AbortSignal.timeout(300_000));
  return harness === null
    ? []
    : [{ name: "harness", status: harness.ok ? "ok" : "fail", detail: harness.detail }];
}

/** Extra checks contributed by other parts (kept for callers that pass their own). */
export type ExtraChecks = DoctorProbe;

/**
 * The isolation a run would get with this configuration, for each sandbox kind it uses (its
 * provider and every SANDBOX_ROUTES target, each asked of its backend: bubblewrap tried, the
 * Docker engine and image looked up, a cloud service's key), and the resource limits each enforces.
 */
export function isolationProbe(options: IsolationProbeOptions): DoctorProbe {
  return async (config) => {
    return (await probeEveryKind(config, options)).flatMap(isolationChecks);
  };
}

function isolationChecks(report: IsolationReport): DoctorCheck[] {
  const name = `sandbox ${report.provider}`;
  switch (report.status) {
    case "unavailable":
      return [{ name, status: "fail", detail: `${report.detail}; runs refuse to start` }];
    case "off":
      return [{ name, status: "warn", detail: report.detail }];
    case "isolated":
      return [
        { name, status: "ok", detail: report.detail },
        { name: "limits", status: "ok", detail: report.limits },
      ];
  }
}

/** The probes `longshot doctor` runs, all at once; a part that adds a check adds its probe here. */
export const doctorProbes: readonly DoctorProbe[] = [
  async () => [checkNode()],
  async (_config, context) => [await checkGit({ signal: context.signal })],
  harnessProbe,
  async (config) => checkKeys(config),
  repositoryProbe,
  modelsProbe,
  endpointChecks,
];

/**
 * Runs every probe concurrently (each one's checks print in the list's order) and prints one
 * line per check; exits 1 when any check fails, which is exactly when a run would refuse to start.
 */
export async function doctor(
  config: Config,
  output: Output,
  extra: readonly DoctorProbe[] = [],
  context: DoctorContext = { repo: process.cwd(), repoGiven: false, signal: AbortSignal.timeout(60_000) },
): Promise<number> {
  const probes = [...doctorProbes, ...extra];
  const results = await Promise.all(
    probes.map((probe) =>
      probe(config, context).catch((error: unknown): DoctorCheck[] => [
        { name: "doctor", status: "fail", detail: `a check crashed: ${messageOf(error)}` },
      ]),
    ),
  );
  const checks = results.flat();
  const width = Math.max(...checks.map((check) => check.name.length));
  for (const check of checks) {
    const mark =
      check.status === "ok"
        ? paint(output, "green", "ok  ")
        : check.status === "warn"
          ? paint(output, "yellow", "warn")
          : paint(output, "red", "FAIL");
    output.out(`${mark}  ${check.name.padEnd(width)}  ${check.detail}`);
  }
  const failed = checks.filter((check) => check.status === "fail").length;
  output.out(
    failed === 0
      ? "longshot is ready."
      : `${failed} check(s) failed; fix them and run longshot doctor again.`,
  );
  return failed === 0 ? 0 : 1;
}
