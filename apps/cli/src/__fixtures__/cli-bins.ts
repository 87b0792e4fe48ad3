// The external CLIs pinned as dev dependencies of packages/agent, as a directory of links for
// SANDBOX_PATH (see pinnedClis).
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pinnedClis } from "@longshot/testkit";

const modules = fileURLToPath(new URL("../../../../packages/agent/node_modules/", import.meta.url));

/** Creates `dir` holding `codex`, `pi`, `opencode` and `claude`; returns it. */
export function cliBinDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(pinnedClis(modules))) symlinkSync(target, join(dir, name));
  return dir;
}
