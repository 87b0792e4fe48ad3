import type { GitRunner, GitRunRequest, GitRunResult } from "@longshot/git";
import { ProcessGitRunner } from "@longshot/git";
import { describe, expect, it } from "vitest";
import { checkGit } from "./doctor.js";

/** A git that answers `--version` with `line`. */
class VersionRunner implements GitRunner {
  constructor(readonly line: string) {}
  async run(request: GitRunRequest): Promise<GitRunResult> {
    return request.args[0] === "--version"
      ? { exitCode: 0, stdout: `${this.line}\n`, stderr: "" }
      : { exitCode: 129, stdout: "", stderr: "unexpected" };
  }
}

describe("checkGit", () => {
  it("passes with the installed git and names its version", async () => {
    const check = await checkGit();
    expect(check).toEqual({
      name: "git",
      status: "ok",
      detail: expect.stringMatching(/^git version 2\.\d+/),
    });
  });

  it("fails, naming the version needed, for a git older than 2.38", async () => {
    const check = await checkGit({ runner: new VersionRunner("git version 2.34.1") });
    expect(check).toEqual({
      name: "git",
      status: "fail",
      detail: "git version 2.34.1: the merge queue needs git 2.38 or newer (merge-tree --write-tree)",
    });
    expect((await checkGit({ runner: new VersionRunner("git version 2.38.0") })).status).toBe("ok");
  });

  it("fails with the fix when git is not installed", async () => {
    const check = await checkGit({ runner: new ProcessGitRunner({ binary: "/nonexistent/bin/git" }) });
    expect(check).toEqual({
      name: "git",
      status: "fail",
      detail: "git is not installed; install git 2.38 or newer",
    });
  });
});
