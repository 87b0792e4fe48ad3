import { harnessKinds, loadConfig, sandboxKindNames } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StartRunOptionsSchema, startOptionsToConfig } from "./start-run-options.js";
import { toolInputs } from "./tool-inputs.js";

const base = { LLM_BASE_URL: "http://127.0.0.1:9/v1", MAX_WORKERS: "50", LLM_MODEL: "from-env" };

describe("startOptionsToConfig", () => {
  it("turns every option into the configuration variable it documents, overriding the environment", () => {
    const options = StartRunOptionsSchema.parse({
      workers: 7,
      model: "big-model",
      workerModel: "small-model",
      sandbox: "docker",
      harness: "codex",
      targetBranch: "develop",
      maxAttempts: 5,
      maxCostUsd: 12.5,
      maxTokens: 2_000_000,
      maxWallTimeSeconds: 3600,
      paused: true,
    });
    const { config } = loadConfig({ flags: startOptionsToConfig(options), env: base });
    expect(config).toMatchObject({
      MAX_WORKERS: 7,
      LLM_MODEL: "big-model",
      LLM_WORKER_MODEL: "small-model",
      SANDBOX_PROVIDER: "docker",
      WORKER_HARNESS: "codex",
      GIT_MAIN_BRANCH: "develop",
      TASK_MAX_ATTEMPTS: 5,
      MAX_COST_USD: 12.5,
      MAX_TOKENS: 2_000_000,
      MAX_WALL_TIME: 3600,
    });
  });

  it("leaves unset options to the environment and defaults", () => {
    const { config } = loadConfig({ flags: startOptionsToConfig({}), env: base });
    expect(config.MAX_WORKERS).toBe(50);
    expect(config.LLM_MODEL).toBe("from-env");
    expect(config.MAX_COST_USD).toBeUndefined();
  });

  it("accepts only values the configuration accepts", () => {
    expect(StartRunOptionsSchema.safeParse({ workers: 10_001 }).success).toBe(false);
    expect(StartRunOptionsSchema.safeParse({ maxAttempts: 21 }).success).toBe(false);
    expect(StartRunOptionsSchema.safeParse({ sandbox: "vm" }).success).toBe(false);
    expect(StartRunOptionsSchema.safeParse({ budget: 3 }).success).toBe(false);
    expect(StartRunOptionsSchema.safeParse({ pr: "yes" }).success).toBe(false);
  });

  it("keeps pr out of the configuration: like --pr, it says how the run ends, not how it runs", () => {
    expect(startOptionsToConfig(StartRunOptionsSchema.parse({ pr: true, workers: 3 }))).toEqual({
      MAX_WORKERS: "3",
    });
  });
});

describe("start_run's JSON Schema", () => {
  it("offers exactly the sandbox and harness kinds core lists, so a new kind reaches MCP clients", () => {
    const Choice = z.object({ enum: z.array(z.string()).optional() });
    const Schema = z.object({
      properties: z.object({ options: z.object({ properties: z.record(z.string(), Choice) }) }),
    });
    const options = Schema.parse(z.toJSONSchema(z.object(toolInputs.start_run))).properties.options
      .properties;
    expect(options.sandbox?.enum).toEqual([...sandboxKindNames]);
    expect(options.harness?.enum).toEqual([...harnessKinds]);
  });
});
