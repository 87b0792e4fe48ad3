/** A small repository the interview can read facts from: a README, a package.json and a lockfile. */
export const tallyRepoFiles: Readonly<Record<string, string>> = {
  "README.md": "# Tally\n\nWriters lose track of progress across many Markdown drafts.\n",
  "package.json": JSON.stringify({ name: "tally", scripts: { test: "vitest run" } }),
  "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
};
