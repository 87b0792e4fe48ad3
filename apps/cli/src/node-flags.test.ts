import { describe, expect, it } from "vitest";
import { orchestratorNodeFlags, relaunchArguments } from "./node-flags.js";

const base = { execArgv: [], nodeOptions: undefined, script: "/usr/lib/longshot/dist/main.js" };

describe("relaunchArguments", () => {
  it("starts a run, a resume and the MCP server again with the orchestrator's flags, arguments intact", () => {
    expect(relaunchArguments({ ...base, argv: ["Build per SPEC.md", "--workers", "50"] })).toEqual([
      ...orchestratorNodeFlags,
      "/usr/lib/longshot/dist/main.js",
      "Build per SPEC.md",
      "--workers",
      "50",
    ]);
    expect(
      relaunchArguments({ ...base, argv: ["resume", "r1"], execArgv: ["--enable-source-maps"] }),
    ).toEqual([
      ...orchestratorNodeFlags,
      "--enable-source-maps",
      "/usr/lib/longshot/dist/main.js",
      "resume",
      "r1",
    ]);
    expect(relaunchArguments({ ...base, argv: ["mcp"] })).not.toBeNull();
  });

  it("leaves quick commands, help and version to start as they are", () => {
    for (const argv of [
      [],
      ["runs"],
      ["show", "r1"],
      ["demo"],
      ["help"],
      ["Build it", "--help"],
      ["-h"],
      ["--version"],
    ]) {
      expect(relaunchArguments({ ...base, argv })).toBeNull();
    }
  });

  it("starts only once, and keeps a young-generation size the user chose", () => {
    const argv = ["Build per SPEC.md"];
    expect(relaunchArguments({ ...base, argv, execArgv: [...orchestratorNodeFlags] })).toBeNull();
    expect(
      relaunchArguments({ ...base, argv, nodeOptions: "--max-semi-space-size=64 --trace-warnings" }),
    ).toBeNull();
    expect(relaunchArguments({ ...base, argv, execArgv: ["--max-semi-space-size", "8"] })).toBeNull();
    expect(relaunchArguments({ ...base, argv, script: "" })).toBeNull();
  });
});
