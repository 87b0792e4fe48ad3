import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { UserErrors } from "./errors.js";

describe("critic and watch settings", () => {
  it("are off or conservative by default", () => {
    const { config } = loadConfig({});
    expect(config.CRITIC_EVERY).toBe(0);
    expect(config.CRITICS).toEqual(["duplication", "coverage", "architecture", "performance"]);
    expect(config.CRITIC_THRESHOLD).toBe(50);
    expect(config.GITHUB_AUTO_MERGE).toBe(false);
    expect(config.GITHUB_MAX_GAP_ISSUES).toBe(1);
    expect(config.GITHUB_KILL_LABEL).toBe("longshot-stop");
  });

  it("reads a list of critics, spaces and all", () => {
    const { config } = loadConfig({ env: { CRITICS: " duplication , coverage ", CRITIC_EVERY: "10" } });
    expect(config.CRITICS).toEqual(["duplication", "coverage"]);
    expect(config.CRITIC_EVERY).toBe(10);
  });

  it("refuses an unknown critic with one sentence naming what is allowed", () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ env: { CRITICS: "duplication,style" } });
    } catch (error) {
      expect(error).toBeInstanceOf(UserErrors);
      problems = (error as UserErrors).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("CRITICS");
    expect(problems[0]).toContain("duplication, coverage, architecture, performance");
  });
});
