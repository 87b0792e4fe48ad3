import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliAdapter, cliAdapters } from "@longshot/agent";
import {
  type Config,
  type Logger,
  messageOf,
  sandboxKindNames,
  sandboxKinds,
  UserError,
} from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import { Git, initRepository } from "@longshot/git";
import { type Sandbox, sandboxLimitsFromConfig } from "@longshot/sandbox";
import { createSandboxProvider, workspaceRootOf } from "./run-context.js";

/**
 * Sandbox providers whose sandboxes reach the model gateway (its socket is bound into them);
 * `none` runs on this machine, where the socket is.
 */
const gatewayProviders: ReadonlySet<string> = new Set([
  ...sandboxKindNames.filter((kind) => sandboxKinds[kind].gateway),
  "none",
]);

type Kind = Config["SANDBOX_PROVIDER"];

/** Every sandbox provider a run may start sandboxes on: SANDBOX_PROVIDER and each route's. */
function kindsOf(config: Pick<Config, "SANDBOX_PROVIDER" | "SANDBOX_ROUTES">): Kind[] {
  return [
    ...new Set([config.SANDBOX_PROVIDER, ...(config.SANDBOX_ROUTES ?? []).map((route) => route.sandbox)]),
  ];
}

/**
 * Throws `UserError` when an external CLI harness is asked for on a sandbox provider (or a
 * SANDBOX_ROUTES sandbox) that cannot reach the model gateway: CLIs never get a real key, so
 * they could not call any model there.
 */
export function refuseUnreachableGateway(
  config: Pick<Config, "WORKER_HARNESS" | "SANDBOX_PROVIDER" | "SANDBOX_ROUTES">,
): void {
  if (config.WORKER_HARNESS === "builtin") return;
  const unreachable = kindsOf(config).find((kind) => !gatewayProviders.has(kind));
  if (unreachable === undefined) return;
  const where =
    unreachable === config.SANDBOX_PROVIDER
      ? `SANDBOX_PROVIDER=${unreachable}`
      : `a SANDBOX_ROUTES sandbox (${unreachable})`;
  throw new UserError(
    `WORKER_HARNESS=${config.WORKER_HARNESS} cannot run on ${where} yet: its sandboxes cannot reach longshot's model gateway (local and docker sandboxes can); use --sandbox local or docker, or the builtin harness.`,
  );
}

/** What the check found: whether the CLI answers inside a sandbox, in one sentence. */
export interface HarnessProbe {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Runs `<cli> --version` inside a throwaway sandbox of each provider the run may use (a temporary
 * repository; the PATH, image and isolation the run's sandboxes get), so a CLI a sandbox cannot
 * see is found before anything is planned. Null for the built-in harness, which needs nothing
 * inside the sandbox.
 */
export async function probeHarness(
  config: Config,
  logger: Logger,
  signal: AbortSignal,
): Promise<HarnessProbe | null> {
  const harness = config.WORKER_HARNESS;
  if (harness === "builtin") return null;
  try {
    refuseUnreachableGateway(config);
  } catch (error) {
    return { ok: false, detail: messageOf(error) };
  }
  const probes: HarnessProbe[] = [];
  for (const kind of kindsOf(config)) {
    const probe = await probeKind(config, cliAdapters[harness], kind, logger, signal);
    if (!probe.ok) return probe;
    probes.push(probe);
  }
  return { ok: true, detail: probes.map((probe) => probe.detail).join("; ") };
}

/** `--version` of the CLI in one throwaway sandbox of `kind`. */
async function probeKind(
  config: Config,
  adapter: CliAdapter,
  kind: Kind,
  logger: Logger,
  signal: AbortSignal,
): Promise<HarnessProbe> {
  const program = adapter.defaultCommand.join(" ");
  const where = kind === "docker" ? `Docker sandbox (image ${config.DOCKER_IMAGE})` : `${kind} sandbox`;
  const dir = await mkdtemp(join(tmpdir(), "longshot-harness-check-"));
  const repo = join(dir, "repo");
  try {
    const base = await scratchRepository(repo, signal);
    const outcome = await inSandbox(config, kind, logger, repo, base, signal, (sandbox) =>
      sandbox.exec({ argv: [...adapter.defaultCommand, "--version"], timeoutMs: 120_000, signal }),
    );
    if (typeof outcome === "string") {
      return { ok: false, detail: `Could not start a ${where} to check ${program}: ${outcome}.` };
    }
    const output = `${outcome.stdout}\n${outcome.stderr}`.trim().split("\n")[0] ?? "";
    if (outcome.exitCode === 0) return { ok: true, detail: `${program} ${output} answers in the ${where}` };
    const fix =
      kind === "docker"
        ? "build the worker image with the CLIs (bash scripts/build-worker-image.sh --cli) and set DOCKER_IMAGE=longshot-worker-cli:latest"
        : `install it (npm install -g ${adapter.npmPackage}) or put the directory holding ${program} in SANDBOX_PATH`;
    return {
      ok: false,
      detail: `${program} does not run in the ${where}: \`${program} --version\` exited with code ${outcome.exitCode}${output === "" ? "" : ` (${output.slice(0, 200)})`}; ${fix}.`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(workspaceRootOf(repo), { recursive: true, force: true });
  }
}

/** The run's preflight: throws `UserError` (exit 2, one sentence) when the CLI harness cannot run. */
export async function assertHarnessReady(config: Config, logger: Logger, signal: AbortSignal): Promise<void> {
  const probe = await probeHarness(config, logger, signal);
  if (probe !== null && !probe.ok) throw new UserError(probe.detail);
}

/** A one-commit repository to start the throwaway sandbox from; returns its commit. */
async function scratchRepository(repo: string, signal: AbortSignal): Promise<string> {
  await initRepository(repo, { signal });
  await writeFile(join(repo, "README.md"), "longshot harness check\n");
  const commit = await new Git(repo).commitAll("harness check", longshotIdentity, { signal });
  if (commit === null) throw new UserError(`Could not commit in ${repo}.`);
  return commit;
}

/** Runs `work` in a fresh sandbox and tears everything down; a sandbox that cannot start is a message. */
async function inSandbox<T>(
  config: Config,
  kind: Kind,
  logger: Logger,
  repo: string,
  base: string,
  signal: AbortSignal,
  work: (sandbox: Sandbox) => Promise<T>,
): Promise<T | string> {
  const provider = await createSandboxProvider(config, logger, repo, kind, { warmPoolSize: 0 });
  try {
    let sandbox: Sandbox;
    try {
      sandbox = await provider.create({
        repoPath: repo,
        baseCommit: base,
        runId: "harness-check",
        taskId: "version",
        branch: "longshot/harness-check/version",
        limits: { ...sandboxLimitsFromConfig(config), network: false, wallTimeoutMs: 300_000 },
        signal,
      });
    } catch (error) {
      return messageOf(error);
    }
    try {
      return await work(sandbox);
    } finally {
      await sandbox.destroy().catch(() => undefined);
    }
  } finally {
    await provider.close().catch(() => undefined);
  }
}
