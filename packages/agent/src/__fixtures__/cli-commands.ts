// How tests start each external CLI installed as a dev dependency of this package. OpenCode and
// Claude Code ship their program in a platform package that a postinstall script would copy into
// place; pnpm does not run it, so the platform binary is started directly.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HarnessName } from "../harness.js";

const modules = fileURLToPath(new URL("../../node_modules/", import.meta.url));

function platformBinary(wrapper: string, platformPackages: readonly string[], binary: string): string {
  const require = createRequire(join(realpathSync(join(modules, wrapper)), "package.json"));
  for (const name of platformPackages) {
    try {
      const path = join(dirname(require.resolve(`${name}/package.json`)), binary);
      if (existsSync(path)) return path;
    } catch {
      // Not installed for this platform.
    }
  }
  throw new Error(`No ${binary} binary of ${wrapper} is installed for this platform; run pnpm install.`);
}

/**
 * The workspace's package store the CLIs live in (real paths, not the workspace's symlinks into
 * it): a local sandbox sees it only when it is bound read-only.
 */
export const packageStore = realpathSync(join(modules, "../../../node_modules/.pnpm"));

const avx2 = (() => {
  try {
    return /\bavx2\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
})();

/** The argv that starts `name` (installed in this package's node_modules) on this machine. */
export function cliCommand(name: Exclude<HarnessName, "builtin">): string[] {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  switch (name) {
    case "codex":
      return [process.execPath, realpathSync(join(modules, "@openai/codex/bin/codex.js"))];
    case "pi":
      return [process.execPath, realpathSync(join(modules, "@earendil-works/pi-coding-agent/dist/bundle/cli.js"))];
    case "opencode":
      return [
        platformBinary(
          "opencode-ai",
          avx2 ? [`opencode-linux-${arch}`, `opencode-linux-${arch}-baseline`] : [`opencode-linux-${arch}-baseline`],
          "bin/opencode",
        ),
      ];
    case "claude-code":
      return [platformBinary("@anthropic-ai/claude-code", [`@anthropic-ai/claude-code-linux-${arch}`], "claude")];
  }
}
