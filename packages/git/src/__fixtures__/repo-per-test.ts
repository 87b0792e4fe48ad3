import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach } from "vitest";
import { Git } from "../git.js";

/** The current test's repository (one commit of `a.txt`), after `repoPerTest()`. */
export let repo: TempRepo;
/** A `Git` over the current test's repository. */
export let git: Git;

/** Gives each test of the file a new temporary repository in `repo` and `git`, removed after it. */
export function repoPerTest(): void {
  beforeEach(async () => {
    repo = await createTempRepo({ files: { "a.txt": "a\n" } });
    git = new Git(repo.path);
  });
  afterEach(() => repo.cleanup());
}
