import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import type {
  ConformanceContext,
  ConformanceSetup,
  CreateOverrides,
} from "./internal/conformance/context.js";
import { execCases, stopCases } from "./internal/conformance/exec-cases.js";
import { fileCases } from "./internal/conformance/file-cases.js";
import { createFixtureRepo, type FixtureRepo } from "./internal/conformance/fixture-repo.js";
import { lifecycleCases, teardownCases } from "./internal/conformance/lifecycle-cases.js";
import { moveCases } from "./internal/conformance/move-cases.js";
import { type OfflineRemoteSetup, offlineRemoteSetup } from "./internal/conformance/offline-remote.js";
import { retryCases } from "./internal/conformance/retry-cases.js";
import { defaultSandboxLimits } from "./limits.js";
import type { Sandbox, SandboxProvider } from "./sandbox.js";

export type { ConformanceSetup, CreateOverrides } from "./internal/conformance/context.js";
export {
  type LocalRemoteCall,
  type LocalRemoteFlavour,
  LocalRemoteService,
  type LocalRemoteSessionOp,
} from "./internal/conformance/local-remote-service.js";
export type { OfflineRemoteSetup } from "./internal/conformance/offline-remote.js";
export {
  initTestRepo,
  type ProviderTestbed,
  providerTestbed,
  type TestRepo,
  testGit,
} from "./internal/conformance/provider-testbed.js";

const leakedKeys: Record<string, string> = {
  LLM_API_KEY: "sk-conformance-leak-llm",
  OPENAI_API_KEY: "sk-conformance-leak-openai",
  E2B_API_KEY: "sk-conformance-leak-e2b",
  CONFORMANCE_SECRET: "sk-conformance-leak-secret",
};

/**
 * Registers the shared `Sandbox` conformance suite (vitest) for one provider: create; exec
 * with exit codes, streaming, env, timeouts and cancellation killing the process tree, output
 * cap; file operations and search; path and command guards; commit and export to the task
 * branch; isolation between sandboxes and clean reuse; network off; destroy, idle and wall
 * timeouts leaving nothing behind; orphan cleanup; retries of one task on its branch; moving a
 * warm sandbox to another commit. Each test builds real temporary git repositories. Import it
 * from `@longshot/sandbox/conformance`.
 */
export function describeSandboxConformance(name: string, setup: ConformanceSetup): void {
  describeCases(`Sandbox conformance: ${name}`, setup, (context) => {
    execCases(context);
    stopCases(context);
    fileCases(context);
    lifecycleCases(context);
    teardownCases(context);
    retryCases(context);
    moveCases(context);
  });
}

/**
 * Registers the shared suite for a remote provider (E2B, Modal) talking to its service's
 * offline fake, each sandbox in a fresh machine directory of its own.
 */
export function describeOfflineRemoteConformance(name: string, setup: OfflineRemoteSetup): void {
  describeSandboxConformance(`${name} (offline fake of the service)`, offlineRemoteSetup(name, setup));
}

function describeCases(
  title: string,
  setup: ConformanceSetup,
  register: (context: ConformanceContext) => void,
): void {
  describe(title, () => {
    let repo: FixtureRepo | undefined;
    let provider: SandboxProvider | undefined;
    let created: Sandbox[] = [];
    const saved = new Map<string, string | undefined>();

    beforeAll(async () => {
      for (const [key, value] of Object.entries(leakedKeys)) {
        saved.set(key, process.env[key]);
        process.env[key] = value;
      }
      repo = createFixtureRepo(setup.tmpDir);
      provider = await setup.makeProvider();
    });

    afterEach(async () => {
      const destroying = created.map((sandbox) => sandbox.destroy());
      created = [];
      await Promise.all(destroying);
    });

    afterAll(async () => {
      await provider?.close();
      repo?.remove();
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });

    const context: ConformanceContext = {
      setup,
      repo: () => {
        if (repo === undefined) throw new Error("the fixture repository is not ready");
        return repo;
      },
      provider: () => {
        if (provider === undefined) throw new Error("the provider is not ready");
        return provider;
      },
      create: async (overrides: CreateOverrides = {}) => {
        const target = overrides.provider ?? context.provider();
        const taskId = overrides.taskId ?? `t${randomBytes(4).toString("hex")}`;
        const sandbox = await target.create({
          repoPath: context.repo().path,
          baseCommit: overrides.baseCommit ?? context.repo().base,
          runId: "rconformance",
          taskId,
          branch: `longshot/rconformance/${taskId}`,
          limits: { ...defaultSandboxLimits, ...setup.limits, ...overrides.limits },
          ...(overrides.env === undefined ? {} : { env: overrides.env }),
        });
        created.push(sandbox);
        return sandbox;
      },
    };

    register(context);
  });
}
