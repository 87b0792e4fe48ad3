// The external CLIs pinned as dev dependencies of packages/agent, as a directory of links for
// SANDBOX_PATH. OpenCode and Claude Code ship their program in a platform package that a
// postinstall script would copy into place; pnpm does not run it, so the link points at it.
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const modules = fileURLToPath(new URL("../../../../packages/agent/node_modules/", import.meta.url));

function platformBinary(wrapper: string, candidates: readonly string[], binary: string): string {
  const require = createRequire(join(realpathSync(join(modules, wrapper)), "package.json"));
  for (const name of candidates) {
    try {
      const path = join(dirname(require.resolve(`${name}/package.json`)), binary);
      if (existsSync(path)) return path;
    } catch {
      // Not installed for this platform.
    }
  }
  throw new Error(`No ${binary} binary of ${wrapper} is installed for this platform; run pnpm install.`);
}

function hasAvx2(): boolean {
  try {
    return /\bavx2\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

/** Creates `dir` holding `codex`, `pi`, `opencode` and `claude`; returns it. */
export function cliBinDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  const opencode = hasAvx2() ? [`opencode-linux-${arch}`, `opencode-linux-${arch}-baseline`] : [`opencode-linux-${arch}-baseline`];
  const links: Record<string, string> = {
    codex: join(modules, "@openai/codex/bin/codex.js"),
    pi: join(modules, "@earendil-works/pi-coding-agent/dist/bundle/cli.js"),
    opencode: platformBinary("opencode-ai", opencode, "bin/opencode"),
    claude: platformBinary("@anthropic-ai/claude-code", [`@anthropic-ai/claude-code-linux-${arch}`], "claude"),
  };
  for (const [name, target] of Object.entries(links)) symlinkSync(realpathSync(target), join(dir, name));
  return dir;
}
