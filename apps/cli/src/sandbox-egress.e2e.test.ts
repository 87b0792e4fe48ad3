// What a CLI worker can reach from its sandbox, and what it can find there: the run's real key is
// a canary, a listener on a host loopback port waits for a connection, and the model makes the
// CLI run a probe that tries the listener, a public address, DNS, the npm registry and a git
// remote, and scans every environment and file it can see for the key. Wired exactly as a run
// wires it: the run's gateway, sandbox provider and worker harness.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliAdapters, createHarness } from "@longshot/agent";
import { type Config, loadConfig, type NewEvent, silentLogger, systemClock } from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import { EndpointPool, ModelClient } from "@longshot/llm";
import { defaultSandboxLimits } from "@longshot/sandbox";
import {
  type FakeLlmServer,
  type FakeRequest,
  type LoopbackCanary,
  startFakeLlm,
  startLoopbackCanary,
} from "@longshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliBinDir } from "./__fixtures__/cli-bins.js";
import { sampleRepo } from "./__fixtures__/cli-harness.js";
import { cliImage, ensureCliImage } from "./__fixtures__/cli-image.js";
import { startRunGateway } from "./gateway-setup.js";
import { createSandboxProvider } from "./run-context.js";

const canary = `${["sk", "canary"].join("-")}-${randomBytes(12).toString("hex")}`;

/** Runs in the sandbox as the CLI's shell command; prints one PROBE line. No quotes but double ones. */
const probe = `
const net = require("net"), dns = require("dns"), fs = require("fs"), path = require("path"), cp = require("child_process");
const needle = ["sk", "canary"].join("-") + "-";
const tcp = (host, port) => new Promise((done) => {
  const socket = net.connect({ host, port });
  const timer = setTimeout(() => { socket.destroy(); done("timeout"); }, 5000);
  socket.on("connect", () => { clearTimeout(timer); socket.destroy(); done("connected"); });
  socket.on("error", (error) => { clearTimeout(timer); done(error.code || error.message); });
});
const hits = [];
const scan = (file) => { try { if (fs.readFileSync(file, "latin1").includes(needle)) hits.push(file); } catch {} };
const walk = (dir, depth) => {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth < 12) walk(full, depth + 1);
    else if (entry.isFile()) { try { if (fs.statSync(full).size < 4e6) scan(full); } catch {} }
  }
};
(async () => {
  const out = {};
  out.hostListener = await tcp("127.0.0.1", Number(process.argv[1]));
  out.publicAddress = await tcp("1.1.1.1", 443);
  out.dns = await new Promise((done) => dns.lookup("registry.npmjs.org", (error) => done(error ? error.code : "resolved")));
  out.registry = await fetch("https://registry.npmjs.org/left-pad").then((response) => "HTTP " + response.status, (error) => String((error.cause && error.cause.code) || error.message));
  out.git = cp.spawnSync("git", ["ls-remote", "https://github.com/openai/codex.git"], { timeout: 30000 }).status;
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\\d+$/.test(name))) scan("/proc/" + pid + "/environ");
  for (const dir of [process.env.HOME, "/tmp", process.cwd()]) if (dir) walk(dir, 0);
  out.scanned = true;
  out.hits = hits;
  console.log("PROBE " + JSON.stringify(out));
})();
`;

function shellCall(request: FakeRequest, command: string) {
  const names = new Set(request.tools.map((tool) => tool.name));
  if (names.has("exec_command")) return { name: "exec_command", arguments: { cmd: command } };
  if (names.has("Bash")) return { name: "Bash", arguments: { command } };
  return { name: "bash", arguments: { command, description: "probe the sandbox" } };
}

interface ProbeResult {
  readonly hostListener: string;
  readonly publicAddress: string;
  readonly dns: string;
  readonly registry: string;
  readonly git: number | null;
  readonly scanned: boolean;
  readonly hits: readonly string[];
}

let listener: LoopbackCanary;
let scratch: string;
let bins: string;
let dockerProblem: string | null = null;

beforeAll(async () => {
  listener = await startLoopbackCanary();
  scratch = mkdtempSync(join(tmpdir(), "longshot-egress-"));
  bins = cliBinDir(join(scratch, "bin"));
  dockerProblem = await ensureCliImage();
}, 16 * 60_000);

afterAll(async () => {
  await listener.close();
  rmSync(scratch, { recursive: true, force: true });
});

function configFor(harness: string, sandbox: string): Config {
  const loaded = loadConfig({
    env: {
      WORKER_HARNESS: harness,
      SANDBOX_PROVIDER: sandbox,
      SANDBOX_PATH: bins,
      DOCKER_IMAGE: cliImage,
      LLM_API_KEY: canary,
      LLM_MAX_TOKENS: "4096",
    },
  });
  return loaded.config;
}

async function probeFrom(
  harness: "codex" | "pi" | "opencode" | "claude-code",
  kind: "local" | "docker",
  planted: Record<string, string> = {},
) {
  const config = configFor(harness, kind);
  const server: FakeLlmServer = await startFakeLlm({
    policy: (request) => {
      if (request.tools.length === 0) return { text: "Probe" };
      if (request.messages.some((message) => message.role === "tool")) return { text: "Probed." };
      return { toolCalls: [shellCall(request, `node -e '${probe}' ${listener.port}`)] };
    },
  });
  const events: NewEvent[] = [];
  const model = new ModelClient({
    pool: new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: canary, weight: 1 }]),
    models: { planner: "m", subplanner: "m", worker: "m", judge: "m", fixer: "m", critic: "m" },
    // As in a run: a transient failure on a loaded machine is retried, not the test's subject.
    maxRetries: 2,
    emit: (event) => events.push(event),
  });
  const repo = sampleRepo(1);
  let outcome: unknown = null;
  const routed = await startRunGateway(config, model, repo.repo, silentLogger());
  const provider = await createSandboxProvider(config, silentLogger(), repo.repo, config.SANDBOX_PROVIDER, {
    sockets: routed?.sockets ?? [],
    warmPoolSize: 0,
  });
  try {
    const sandbox = await provider.create({
      repoPath: repo.repo,
      baseCommit: repo.git("rev-parse", "HEAD"),
      runId: "egress",
      taskId: "t0001",
      branch: `longshot/egress/${harness}-${kind}`,
      limits: { ...defaultSandboxLimits, memoryMb: 2048, cpuCores: 2 },
    });
    try {
      const harnessImpl = createHarness(harness, {
        clock: systemClock,
        author: longshotIdentity,
        checks: [],
        gateway: routed!.gateway,
        env: planted,
      });
      outcome = await harnessImpl.run({
        task: {
          id: "t0001",
          runId: "egress",
          title: "Probe",
          description: "Run the probe.",
          acceptance: [],
          scope: [],
          context: "",
        },
        attempt: 1,
        sandbox,
        model: "m",
        limits: { maxTurns: 6, wallTimeMs: 300_000, stuckTimeoutMs: 240_000 },
        signal: new AbortController().signal,
        emit: (event) => events.push(event),
      });
    } finally {
      await sandbox.destroy();
    }
  } finally {
    await provider.close();
    await routed?.gateway.close();
    repo.cleanup();
  }
  await server.close();
  const line = server.requests
    .flatMap((request) => request.messages)
    .filter((message) => message.role === "tool")
    .map((message) => /PROBE (\{.*\})/.exec(message.content)?.[1])
    .find((match) => match !== undefined);
  return {
    /** What the harness reported and logged, shown when the probe did not run. */
    diagnosis: JSON.stringify({
      outcome,
      requests: server.requests.length,
      log: events.flatMap((event) => (event.type === "log" ? [event.message] : [])).slice(-12),
    }),
    probe: line === undefined ? null : (JSON.parse(line) as ProbeResult),
    upstreamKeys: new Set(server.requests.map((request) => request.headers.authorization)),
    blocked: events
      .filter((event) => event.type === "log")
      .map((event) => (event.type === "log" ? event.message : ""))
      .filter((message) => message.includes("blocked")),
  };
}

describe.each(["local", "docker"] as const)("a CLI in a %s sandbox", (sandbox) => {
  it.for(Object.keys(cliAdapters) as ("codex" | "pi" | "opencode" | "claude-code")[])(
    "%s reaches nothing but the gateway and finds no real key",
    { timeout: 600_000 },
    async (harness, context) => {
      if (sandbox === "docker" && dockerProblem !== null) {
        context.skip(dockerProblem);
        return;
      }
      const before = listener.connections;
      const result = await probeFrom(harness, sandbox);
      expect(result.probe, `the probe did not run: ${result.diagnosis}`).not.toBeNull();
      const probe = result.probe!;
      expect(probe.scanned).toBe(true);
      expect(probe.hits).toEqual([]);
      expect(probe.hostListener).not.toBe("connected");
      expect(listener.connections).toBe(before);
      expect(probe.publicAddress).not.toBe("connected");
      expect(probe.dns).not.toBe("resolved");
      expect(probe.registry).not.toMatch(/^HTTP 2/);
      expect(probe.git).not.toBe(0);
      // Clients that honour the proxy settings (git here) are refused by the launcher, which
      // logs the destination; the others fail at once (no route, no DNS).
      expect(result.blocked.join("\n")).toContain("blocked CONNECT github.com:443");
      // The key was real and in use: the gateway, not the sandbox, sent it upstream.
      expect([...result.upstreamKeys]).toEqual([`Bearer ${canary}`]);
    },
  );
});

it("the probe does find a key that reaches the sandbox (so its silence above means something)", {
  timeout: 300_000,
}, async () => {
  const result = await probeFrom("pi", "local", { LEAKED: `${["sk", "canary"].join("-")}-planted` });
  expect(result.probe?.scanned).toBe(true);
  expect(result.probe?.hits.some((hit) => /^\/proc\/\d+\/environ$/.test(hit))).toBe(true);
});
