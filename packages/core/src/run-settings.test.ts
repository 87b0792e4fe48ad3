import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { variableNames, variableSpecs } from "./config-spec.js";
import { hostSettingNames, resumeConfig, runSettingNames, runSettingsOf } from "./run-settings.js";

describe("run settings", () => {
  const started = loadConfig({
    flags: { MAX_WORKERS: "2", MAX_WALL_TIME: "25", MAX_COST_USD: "1.5" },
    env: { LLM_API_KEY: "sk-secret-value-123", LLM_WORKER_MODEL: "coder" },
  }).config;
  const recorded = runSettingsOf(started);

  it("records workers, budgets and models as text, unset ones as empty, and never a key", () => {
    expect(recorded).toMatchObject({
      MAX_WORKERS: "2",
      MAX_WALL_TIME: "25",
      MAX_COST_USD: "1.5",
      LLM_WORKER_MODEL: "coder",
      MAX_TOKENS: "",
      SANDBOX_NETWORK: "false",
    });
    expect(JSON.stringify(recorded)).not.toContain("sk-secret");
  });

  it("restores them on resume over what the environment says now", () => {
    const resumed = resumeConfig(recorded, {
      env: { MAX_WORKERS: "50", MAX_TOKENS: "900", LLM_WORKER_MODEL: "other" },
      dotenv: { MAX_WALL_TIME: "9999" },
    });
    expect(resumed.config.MAX_WORKERS).toBe(2);
    expect(resumed.config.MAX_WALL_TIME).toBe(25);
    expect(resumed.config.MAX_COST_USD).toBe(1.5);
    expect(resumed.config.LLM_WORKER_MODEL).toBe("coder");
    // Unset when the run started, so the environment cannot add a budget behind the user's back.
    expect(resumed.config.MAX_TOKENS).toBeUndefined();
    expect(resumed.overrides).toEqual([]);
  });

  it("lets flags given to resume override, and names each override", () => {
    const resumed = resumeConfig(recorded, { flags: { MAX_WORKERS: "3", MAX_TOKENS: "5000" } });
    expect(resumed.config.MAX_WORKERS).toBe(3);
    expect(resumed.config.MAX_TOKENS).toBe(5000);
    expect(resumed.config.MAX_WALL_TIME).toBe(25);
    expect(resumed.overrides).toEqual([
      { name: "MAX_WORKERS", recorded: "2", now: "3" },
      { name: "MAX_TOKENS", recorded: "", now: "5000" },
    ]);
  });

  it("keeps structured settings (sandbox routes) as they were", () => {
    const routes = '[{"provides":["network"],"sandbox":"docker","network":true}]';
    const withRoutes = runSettingsOf(loadConfig({ env: { SANDBOX_ROUTES: routes } }).config);
    const resumed = resumeConfig(withRoutes, { env: {} });
    expect(resumed.config.SANDBOX_ROUTES).toEqual(
      loadConfig({ env: { SANDBOX_ROUTES: routes } }).config.SANDBOX_ROUTES,
    );
  });

  it("takes what an older run did not record from the environment", () => {
    const resumed = resumeConfig({ MAX_WORKERS: "4" }, { env: { MAX_TOKENS: "700" } });
    expect(resumed.config.MAX_WORKERS).toBe(4);
    expect(resumed.config.MAX_TOKENS).toBe(700);
  });

  it("records the model of every role, so a resume cannot run a role on another model", () => {
    const roleModels = variableNames.filter((name) => /^LLM_\w+_MODEL$/.test(name));
    expect(roleModels).toEqual(
      expect.arrayContaining(["LLM_CRITIC_MODEL", "LLM_FIXER_MODEL", "LLM_JUDGE_MODEL"]),
    );
    const recordedNames: readonly string[] = runSettingNames;
    expect(roleModels.filter((name) => !recordedNames.includes(name))).toEqual([]);
  });

  it("classifies every variable as a run setting or a host setting, and records no secret", () => {
    const run: readonly string[] = runSettingNames;
    const host: readonly string[] = hostSettingNames;
    // A new variable must be placed in one of the two lists: a forgotten one fails here.
    expect(variableNames.filter((name) => !run.includes(name) && !host.includes(name))).toEqual([]);
    expect(run.filter((name) => host.includes(name))).toEqual([]);
    expect(variableSpecs.filter((entry) => entry.secret && run.includes(entry.name))).toEqual([]);
  });

  it("restores the critics, their model, conflict handling and hand-off limits as the run started", () => {
    const env = {
      LLM_CRITIC_MODEL: "reviewer-large",
      CRITIC_EVERY: "4",
      CRITICS: "duplication, coverage",
      CRITIC_THRESHOLD: "70",
      BENCHMARK_COMMAND: "npm run bench",
      MERGE_RESOLVE_HUNKS: "false",
      SANDBOX_DISK_MB: "512",
      TASK_MAX_FILE_KB: "64",
      TASK_MAX_DIFF_KB: "256",
      HEALTH_CHECK_INTERVAL: "45",
    };
    const first = loadConfig({ env }).config;
    const resumed = resumeConfig(runSettingsOf(first), {
      env: { LLM_CRITIC_MODEL: "cheap", CRITIC_EVERY: "0", CRITICS: "performance", TASK_MAX_DIFF_KB: "9999" },
    });
    expect(resumed.config).toMatchObject({
      LLM_CRITIC_MODEL: "reviewer-large",
      CRITIC_EVERY: 4,
      CRITICS: ["duplication", "coverage"],
      CRITIC_THRESHOLD: 70,
      BENCHMARK_COMMAND: "npm run bench",
      MERGE_RESOLVE_HUNKS: false,
      SANDBOX_DISK_MB: 512,
      TASK_MAX_FILE_KB: 64,
      TASK_MAX_DIFF_KB: 256,
      HEALTH_CHECK_INTERVAL: 45,
    });
    expect(resumed.overrides).toEqual([]);
  });

  it("reads back every recorded setting as the value the run started with", () => {
    for (const config of [loadConfig({ env: {} }).config, started]) {
      const resumed = resumeConfig(runSettingsOf(config), { env: {} });
      for (const name of runSettingNames) expect([name, resumed.config[name]]).toEqual([name, config[name]]);
    }
  });
});
