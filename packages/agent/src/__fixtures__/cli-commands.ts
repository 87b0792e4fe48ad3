// How tests start each external CLI installed as a dev dependency of this package (see pinnedClis).
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pinnedClis } from "@longshot/testkit";
import type { HarnessName } from "../harness.js";

const modules = fileURLToPath(new URL("../../node_modules/", import.meta.url));

/**
 * The workspace's package store the CLIs live in (real paths, not the workspace's symlinks into
 * it): a local sandbox sees it only when it is bound read-only.
 */
export const packageStore = realpathSync(join(modules, "../../../node_modules/.pnpm"));

/** The argv that starts `name` (installed in this package's node_modules) on this machine. */
export function cliCommand(name: Exclude<HarnessName, "builtin">): string[] {
  const clis = pinnedClis(modules);
  switch (name) {
    case "codex":
      return [process.execPath, clis.codex];
    case "pi":
      return [process.execPath, clis.pi];
    case "opencode":
      return [clis.opencode];
    case "claude-code":
      return [clis.claude];
  }
}
