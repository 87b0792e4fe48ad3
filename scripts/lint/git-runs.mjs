// Where git may run outside @longshot/git, as the git-run check reads it (scripts/lint/check-git-runs.mjs).
// Every other product file reaches git only through the operations of @longshot/git.

/**
 * Packages that run git themselves, by design.
 * @type {readonly { readonly name: string; readonly why: string }[]}
 */
export const gitPackages = [
  { name: "@longshot/git", why: "the typed git operations every other package calls" },
  {
    name: "@longshot/sandbox",
    why: "git inside a sandbox and on the sandboxes' mirror repository, through the sandbox's hardened runner",
  },
  {
    name: "@longshot/sandbox-docker",
    why: "git inside a container (its in-container runner) and the worktree or bundle that delivers the repository to it",
  },
];

/**
 * Product files that still run git themselves and have yet to move to operations of
 * @longshot/git. The list only shrinks: a file that no longer runs git must leave it.
 * @type {readonly { readonly path: string; readonly why: string }[]}
 */
export const pendingGitRuns = [
  {
    path: "apps/cli/src/commands/doctor.ts",
    why: "asks `git --version`, reporting a missing git as a check",
  },
  { path: "apps/cli/src/harness-check.ts", why: "`git init` of the probe's scratch repository" },
  {
    path: "apps/cli/src/remote-workspace.ts",
    why: "clones and updates GIT_REPO_URL with the user's credentials",
  },
  { path: "packages/github/src/connect-github.ts", why: "reads the push URL of a remote" },
  { path: "packages/github/src/git-remote-ops.ts", why: "ls-remote, fetch and a commit on a private index" },
  { path: "packages/github/src/publish-pull-request.ts", why: "rev-parse and rev-list --count" },
  { path: "packages/github/src/push-branch.ts", why: "push with a token and reads the push URL" },
  { path: "packages/github/src/watch/repo-git.ts", why: "the watch loop's reads and ref updates" },
  {
    path: "packages/planner/src/git-repo-reader.ts",
    why: "ls-files and log for the planner's view of the repository",
  },
];
