import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliAdapter, cliAdapters } from "@longshot/agent";
import {
  type Config,
  type Logger,
  messageOf,
  reachesGatewayByUrl,
  sandboxKindsOf,
  UserError,
} from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import { Git, initRepository } from "@longshot/git";
import { type Sandbox, sandboxLimitsFromConfig } from "@longshot/sandbox";
import { type PublicGatewayRoute, publicGatewayRoute } from "./gateway-route.js";
import { oneLine } from "./report/internal/format.js";
import { createSandboxProvider, workspaceRootOf } from "./run-context.js";
import { sandboxBackend } from "./sandbox-backends.js";

type Kind = Config["SANDBOX_PROVIDER"];

/**
 * Throws `UserError` when an external CLI harness is asked for on a cloud sandbox provider (or a
 * SANDBOX_ROUTES sandbox) and GATEWAY_PUBLIC_URL does not say how its sandboxes reach the model
 * gateway: CLIs never get a real key, so they could not call any model there.
 */
export function refuseUnreachableGateway(
  config: Pick<
    Config,
    "WORKER_HARNESS" | "SANDBOX_PROVIDER" | "SANDBOX_ROUTES" | "GATEWAY_PUBLIC_URL" | "GATEWAY_LISTEN"
  >,
): void {
  if (config.WORKER_HARNESS === "builtin" || config.GATEWAY_PUBLIC_URL !== undefined) return;
  const cloud = sandboxKindsOf(config).find(reachesGatewayByUrl);
  if (cloud === undefined) return;
  const where =
    cloud === config.SANDBOX_PROVIDER ? `SANDBOX_PROVIDER=${cloud}` : `a SANDBOX_ROUTES sandbox (${cloud})`;
  throw new UserError(
    `WORKER_HARNESS=${config.WORKER_HARNESS} on ${where} needs GATEWAY_PUBLIC_URL: an https address (a tunnel or reverse proxy) that reaches longshot's model gateway at GATEWAY_LISTEN (${config.GATEWAY_LISTEN}) on this machine; set it, or use --sandbox local or docker, or the builtin harness.`,
  );
}

/**
 * Whether a cloud sandbox reaches this machine's gateway through GATEWAY_PUBLIC_URL: listens on
 * GATEWAY_LISTEN for a moment, answering one path with a nonce, and fetches that path from
 * inside `sandbox` through the public URL. Null when the nonce came back; else one sentence.
 * `node` is the program that fetches (the sandbox image's `node` by default).
 */
export async function probeGatewayRoute(
  sandbox: Sandbox,
  route: PublicGatewayRoute,
  signal: AbortSignal,
  node = "node",
): Promise<string | null> {
  const nonce = randomUUID();
  const path = `/longshot-gateway-check/${nonce}`;
  const server = createServer((request, response) => {
    const mine = request.url?.endsWith(path) === true;
    response.writeHead(mine ? 200 : 404, { "content-type": "text/plain" });
    response.end(mine ? nonce : "not found");
  });
  const { host, port, text: listen } = route.listen;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
  } catch (error) {
    return `Longshot cannot listen on GATEWAY_LISTEN (${listen}): ${messageOf(error)}; free that port or set GATEWAY_LISTEN to another address.`;
  }
  try {
    const url = `${route.url.replace(/\/+$/, "")}${path}`;
    const fetchOnce =
      "fetch(process.argv[1], { signal: AbortSignal.timeout(20000) }).then(async (r) => process.stdout.write(await r.text()), (e) => { process.stderr.write(String(e.cause?.message ?? e.message)); process.exit(3); })";
    const answer = await sandbox.exec({ argv: [node, "-e", fetchOnce, url], timeoutMs: 60_000, signal });
    if (answer.stdout.trim() === nonce) return null;
    const detail =
      answer.exitCode === 0
        ? "something else answered there"
        : oneLine(answer.stderr, 200) || `exit code ${answer.exitCode}`;
    return `The ${sandbox.provider} sandbox cannot reach longshot's model gateway at GATEWAY_PUBLIC_URL (${new URL(route.url).origin}): ${detail}; make that address forward to GATEWAY_LISTEN (${listen}) on this machine.`;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
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
  for (const kind of sandboxKindsOf(config)) {
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
  const backend = await sandboxBackend(kind);
  const where = backend.describe(config);
  const dir = await mkdtemp(join(tmpdir(), "longshot-harness-check-"));
  const repo = join(dir, "repo");
  try {
    const base = await scratchRepository(repo, signal);
    const route = reachesGatewayByUrl(kind) ? publicGatewayRoute(config) : null;
    const outcome = await inSandbox(config, kind, logger, repo, base, signal, async (sandbox) => {
      const version = await sandbox.exec({
        argv: [...adapter.defaultCommand, "--version"],
        timeoutMs: 120_000,
        signal,
      });
      const unreachable =
        route === null || version.exitCode !== 0 ? null : await probeGatewayRoute(sandbox, route, signal);
      return { ...version, unreachable };
    });
    if (typeof outcome === "string") {
      return { ok: false, detail: `Could not start a ${where} to check ${program}: ${outcome}.` };
    }
    if (outcome.unreachable !== null) return { ok: false, detail: outcome.unreachable };
    const output = `${outcome.stdout}\n${outcome.stderr}`.trim().split("\n")[0] ?? "";
    if (outcome.exitCode === 0) return { ok: true, detail: `${program} ${output} answers in the ${where}` };
    const fix = backend.cliFix(config, { program, npmPackage: adapter.npmPackage });
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
