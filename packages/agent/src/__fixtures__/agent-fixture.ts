// Test wiring for the agent: a fake model server, a real repository, a real local sandbox on the
// task branch, a real ModelClient, and an event collector.
import { packageStore } from "./cli-commands.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { NewEvent } from "@longshot/core";
import { ModelGateway } from "@longshot/gateway";
import { type BudgetLimits, EndpointPool, ModelClient, oneModelForEveryRole } from "@longshot/llm";
import {
  defaultSandboxLimits,
  defaultSandboxPath,
  type Sandbox,
  type SandboxProvider,
  WorktreeSandboxProvider,
} from "@longshot/sandbox";
import { E2BSandboxProvider } from "@longshot/sandbox-e2b";
import { LocalE2BClient } from "@longshot/sandbox-e2b/testing";
import { ModalSandboxProvider } from "@longshot/sandbox-modal";
import { LocalModalClient } from "@longshot/sandbox-modal/testing";
import {
  createTempRepo,
  type FakeLlmServer,
  type FakePolicy,
  type FileChanges,
  startFakeLlm,
  type TempRepo,
} from "@longshot/testkit";
import type { AgentTask, HarnessLimits } from "../harness.js";

export interface AgentFixture {
  readonly server: FakeLlmServer;
  readonly repo: TempRepo;
  readonly sandbox: Sandbox;
  readonly model: ModelClient;
  /** The run's model gateway (bound into the sandbox), when asked for. */
  readonly gateway: ModelGateway | null;
  /** The offline cloud service the sandbox runs on, when `cloud` was asked for. */
  readonly service: LocalE2BClient | LocalModalClient | null;
  readonly events: NewEvent[];
  readonly emit: (event: NewEvent) => void;
  readonly task: AgentTask;
  readonly branch: string;
  cleanup(): Promise<void>;
}

/** PATH inside the sandbox with the test's own Node first (the CLIs need a recent one). */
export const sandboxPath = `${dirname(process.execPath)}:${defaultSandboxPath}`;

/** A tiny project whose `npm test` passes only when greet() says "Howdy". */
export const greetProject: FileChanges = {
  "package.json": `${JSON.stringify({ name: "demo", private: true, type: "module", scripts: { test: "node test.js" } }, null, 2)}\n`,
  "src/greet.js": 'export function greet(name) {\n  return "Hello, " + name;\n}\n',
  "test.js":
    'import { greet } from "./src/greet.js";\nif (greet("world") !== "Howdy, world") {\n  console.error("expected Howdy, world but got " + greet("world"));\n  process.exit(1);\n}\nconsole.log("1 test passed");\n',
};

export const testLimits: HarnessLimits = { maxTurns: 20, wallTimeMs: 120_000, stuckTimeoutMs: 60_000 };

export async function createAgentFixture(options: {
  readonly policy: FakePolicy;
  readonly files?: FileChanges;
  readonly scope?: readonly string[];
  readonly network?: boolean;
  /** Host directories the sandbox may read besides its toolchain (a CLI installed elsewhere). */
  readonly readOnlyPaths?: readonly string[];
  /** Start a model gateway over the model client and bind its socket into the sandbox. */
  readonly gateway?: boolean;
  readonly budget?: BudgetLimits;
  /**
   * Run the sandbox on an offline fake of a cloud service instead of this machine: its egress
   * allows only 127.0.0.1, where the gateway also listens on TCP (its "public URL",
   * `gateway.url`); every other address is cut. Implies `gateway`.
   */
  readonly cloud?: "e2b" | "modal";
  /** The real key the model client holds (it must never show up in the sandbox). */
  readonly apiKey?: string;
}): Promise<AgentFixture> {
  const server = await startFakeLlm({ policy: options.policy });
  const repo = await createTempRepo({ files: options.files ?? greetProject });
  const socketPath = repo.tempPath("gw/gateway.sock");
  const cloud = options.cloud === undefined ? null : cloudProvider(options.cloud, repo);
  const provider: SandboxProvider =
    cloud?.provider ??
    new WorktreeSandboxProvider({
      warmPoolSize: 0,
      path: sandboxPath,
      root: repo.tempPath("sandboxes"),
      // The CLIs live in the workspace's package store, which a sandbox sees only when bound.
      readOnlyPaths: options.readOnlyPaths ?? [packageStore],
      ...(options.gateway ? { sockets: [{ host: socketPath, inside: socketPath }] } : {}),
    });
  const branch = "longshot/run-1/task-1";
  const sandbox = await provider.create({
    repoPath: repo.path,
    baseCommit: repo.initial,
    runId: "run-1",
    taskId: "task-1",
    branch,
    limits: { ...defaultSandboxLimits, network: options.network ?? false },
  });
  const events: NewEvent[] = [];
  const model = new ModelClient({
    pool: new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: options.apiKey ?? "sk-test", weight: 1 }]),
    models: oneModelForEveryRole("fake-model"),
    maxRetries: 0,
    maxTokens: 4096,
    emit: (event) => events.push(event),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const gateway =
    options.gateway || cloud !== null
      ? await ModelGateway.start({ model, socketPath, ...(cloud === null ? {} : { tcp: {} }) })
      : null;
  if (cloud !== null && gateway?.url) cloud.service.reach("127.0.0.1", Number(new URL(gateway.url).port));
  const task: AgentTask = {
    id: "task-1",
    runId: "run-1",
    title: "Greet with Howdy",
    description: 'Change greet() in src/greet.js to say "Howdy" instead of "Hello".',
    acceptance: ["npm test passes"],
    scope: [...(options.scope ?? ["src/"])],
    context: "",
  };
  return {
    server,
    repo,
    sandbox,
    model,
    gateway,
    service: cloud?.service ?? null,
    events,
    emit: (event) => events.push(event),
    task,
    branch,
    async cleanup() {
      await sandbox.destroy();
      await provider.close();
      await gateway?.close();
      await server.close();
      await repo.cleanup();
    },
  };
}

/** A cloud provider over an offline fake of its service, sandbox paths in the repository's temp. */
function cloudProvider(
  kind: "e2b" | "modal",
  repo: TempRepo,
): { readonly provider: SandboxProvider; readonly service: LocalE2BClient | LocalModalClient } {
  const box = repo.tempPath(`${kind}-box`);
  const common = {
    workspaceRoot: repo.tempPath(`${kind}-root`),
    scope: `agent-${kind}`,
    egressAllow: ["127.0.0.1"],
    paths: { workdir: `${box}/workspace`, home: `${box}/home`, tmpDir: `${box}/tmp` },
  };
  for (const dir of [common.paths.home, common.paths.tmpDir]) mkdirSync(dir, { recursive: true });
  if (kind === "e2b") {
    const service = new LocalE2BClient();
    return { service, provider: new E2BSandboxProvider({ ...common, client: service }) };
  }
  const service = new LocalModalClient();
  return { service, provider: new ModalSandboxProvider({ ...common, client: service }) };
}

/** Events of one type, in order. */
export function eventsOf<T extends NewEvent["type"]>(events: readonly NewEvent[], type: T): Extract<NewEvent, { type: T }>[] {
  return events.filter((event): event is Extract<NewEvent, { type: T }> => event.type === type);
}
