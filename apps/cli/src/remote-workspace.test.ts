import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { remoteWorkspace } from "./remote-workspace.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo({ files: { "README.md": "first\n" } });
});
afterEach(() => repo.cleanup());

describe("remoteWorkspace", () => {
  it("clones GIT_REPO_URL into LONGSHOT_HOME once, then brings the same clone up to date", async () => {
    const remote = await repo.cloneBare("widgets.git");
    const env = { ...process.env, LONGSHOT_HOME: repo.tempPath("home") };
    const dir = await remoteWorkspace(remote, "main", env);
    expect(dir.startsWith(join(repo.tempPath("home"), "repos", "widgets-"))).toBe(true);
    expect(await readFile(join(dir, "README.md"), "utf8")).toBe("first\n");

    await writeFile(join(dir, "README.md"), "left over\n");
    const next = await repo.commit({ "README.md": "second\n" }, "second");
    await repo.git(["push", "--quiet", remote, "main"]);
    expect(await remoteWorkspace(remote, "main", env)).toBe(dir);
    expect(await readFile(join(dir, "README.md"), "utf8")).toBe("second\n");
    expect((await repo.git(["-C", dir, "rev-parse", "HEAD"])).trim()).toBe(next);
  });

  it("says in one sentence which URL could not be read and what to check", async () => {
    const env = { ...process.env, LONGSHOT_HOME: repo.tempPath("home") };
    const missing = repo.tempPath("missing.git");
    const error = await remoteWorkspace(missing, "main", env).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Could not get ${missing} \\(.*${missing}.*\\); check GIT_REPO_URL and your access to it\\.$`,
      ),
    );
  });
});
