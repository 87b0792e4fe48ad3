import { appendFileSync, existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderEnvExample } from "@longshot/core";
import type { Output } from "../output.js";

export const specSkeleton = `# SPEC

## Problem
What is wrong today, and for whom?

## Users
Who will use this, and what do they already know?

## Core features
1. …

## Constraints
Languages, libraries, performance, compatibility, things that must not change.

## Acceptance
How we will know it is done: commands that must pass, behaviour that must be observable.
`;

/** Whether a `.gitignore` text already ignores `.env` at the repository's top. */
export function ignoresDotenv(gitignore: string): boolean {
  return gitignore
    .split(/\r?\n/)
    .map((line) => line.trim())
    .some((line) => line === ".env" || line === "/.env" || line === ".env*" || line === "/.env*");
}

/**
 * Makes sure `.gitignore` ignores `.env` (creating the file when there is none), so the key
 * written there never lands in a commit; says what it did.
 */
export function ignoreDotenv(dir: string, output: Output): void {
  const path = join(dir, ".gitignore");
  const existing = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (existing !== null && ignoresDotenv(existing)) {
    output.out("kept     .gitignore (it already ignores .env)");
    return;
  }
  const separator = existing === null || existing === "" || existing.endsWith("\n") ? "" : "\n";
  appendFileSync(path, `${separator}# longshot settings and keys: never commit them\n.env\n`);
  output.out(
    existing === null
      ? "wrote    .gitignore (ignores .env, so your key is never committed)"
      : "updated  .gitignore (added .env, so your key is never committed)",
  );
}

/** Writes `.env` and `SPEC.md` into `dir`, never overwriting, and ignores `.env`; returns the exit code. */
export function init(dir: string, output: Output): number {
  const files: [string, string][] = [
    [".env", renderEnvExample()],
    ["SPEC.md", specSkeleton],
  ];
  for (const [name, content] of files) {
    const path = join(dir, name);
    if (existsSync(path)) {
      output.out(`kept     ${name} (already exists)`);
      continue;
    }
    writeWhole(path, content);
    output.out(`wrote    ${name}`);
  }
  ignoreDotenv(dir, output);
  const gitInit = existsSync(join(dir, ".git"))
    ? ""
    : "git init (longshot builds a git repository; this folder is not one yet), ";
  output.out(
    `Next: ${gitInit}fill in SPEC.md (or run longshot spec), set LLM_BASE_URL and LLM_API_KEY in .env, commit SPEC.md and .gitignore (never .env), then longshot doctor.`,
  );
  return 0;
}

/**
 * Writes `content` to `path`, which must not exist, whole or not at all: into a file beside it
 * first, then linked into place, so a full disk leaves no half-written file behind.
 */
function writeWhole(path: string, content: string): void {
  const draft = `${path}.${process.pid}.longshot-draft`;
  try {
    writeFileSync(draft, content, { flag: "wx" });
    linkSync(draft, path);
  } finally {
    rmSync(draft, { force: true });
  }
}
