import { existsSync, writeFileSync } from "node:fs";
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

/** Writes `.env` and `SPEC.md` into `dir`, never overwriting; returns the exit code. */
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
    writeFileSync(path, content, { flag: "wx" });
    output.out(`wrote    ${name}`);
  }
  output.out(
    "Next: fill in SPEC.md (or run longshot spec), set LLM_BASE_URL and LLM_API_KEY in .env, then longshot doctor.",
  );
  return 0;
}
