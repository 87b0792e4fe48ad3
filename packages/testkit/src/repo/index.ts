export { type BranchSpec, createBranches } from "./create-branches.js";
export { type GitOutput, runGit, testIdentity, tryGit } from "./run-git.js";
export { runGitSync } from "./run-git-sync.js";
export { createTempRepo, type TempRepo, type TempRepoOptions } from "./temp-repo.js";
export { type FileChanges, writeAndCommit, writeFiles } from "./write-and-commit.js";
