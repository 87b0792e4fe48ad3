import { describe, expect, it } from "vitest";
import { GitVersionError } from "./errors.js";
import { Git } from "./git.js";
import { capabilitiesOf, parseGitVersion } from "./git-version.js";
import { ProcessGitRunner } from "./process-git-runner.js";

describe("parseGitVersion", () => {
  it("reads Debian, Windows and Apple version lines", () => {
    expect(parseGitVersion("git version 2.39.5\n")).toMatchObject({ major: 2, minor: 39, patch: 5 });
    expect(parseGitVersion("git version 2.45.1.windows.1")).toMatchObject({ major: 2, minor: 45, patch: 1 });
    expect(parseGitVersion("git version 2.39.3 (Apple Git-146)").text).toBe(
      "git version 2.39.3 (Apple Git-146)",
    );
  });

  it("rejects output without a version", () => {
    expect(() => parseGitVersion("command not found")).toThrow(GitVersionError);
  });
});

describe("capabilitiesOf", () => {
  it("maps versions to the plumbing they offer", () => {
    expect(capabilitiesOf(2, 35).catFileBatchCommand).toBe(false);
    expect(capabilitiesOf(2, 44).isoUtcAsZ).toBe(false);
    expect(capabilitiesOf(2, 45).isoUtcAsZ).toBe(true);
    expect(capabilitiesOf(2, 37)).toEqual({
      mergeTreeWriteTree: false,
      mergeTreeMergeBase: false,
      replay: false,
      catFileBatchCommand: true,
      isoUtcAsZ: false,
    });
    expect(capabilitiesOf(2, 39)).toMatchObject({
      mergeTreeWriteTree: true,
      mergeTreeMergeBase: false,
      replay: false,
    });
    expect(capabilitiesOf(2, 40)).toMatchObject({
      mergeTreeWriteTree: true,
      mergeTreeMergeBase: true,
      replay: false,
    });
    expect(capabilitiesOf(2, 44)).toMatchObject({
      mergeTreeWriteTree: true,
      mergeTreeMergeBase: true,
      replay: true,
    });
    expect(capabilitiesOf(3, 0).replay).toBe(true);
  });
});

describe("Git.version", () => {
  it("detects the installed git", async () => {
    const version = await new Git(".").version();
    expect(version.major).toBeGreaterThanOrEqual(2);
    expect(version.text).toMatch(/^git version /);
  });

  it("reports a missing git program as a version error naming the fix", async () => {
    const git = new Git(".", { runner: new ProcessGitRunner({ binary: "/nonexistent/git" }) });
    await expect(git.version()).rejects.toThrow(/install git 2\.38 or newer/);
  });

  it("refuses an operation the installed git cannot do, naming the version needed", async () => {
    const old = new Git(".", {
      runner: { run: async () => ({ exitCode: 0, stdout: "git version 2.37.1\n", stderr: "" }) },
    });
    await expect(old.mergeTree("a", "b")).rejects.toThrow(/needs git 2\.38 or newer/);
  });
});
