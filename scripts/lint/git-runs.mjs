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
 * @longshot/git. Empty: every product file outside the packages above calls @longshot/git. The
 * list only shrinks; a new need for git is a new operation there, not an entry here.
 * @type {readonly { readonly path: string; readonly why: string }[]}
 */
export const pendingGitRuns = [];
