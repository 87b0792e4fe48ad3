import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { resumeConfig, runSettingsOf } from "./run-settings.js";

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
});
