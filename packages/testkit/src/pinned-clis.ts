import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The programs of the external coding CLIs pinned as dev dependencies, by command name (real paths). */
export interface PinnedClis {
  /** A Node script. */
  readonly codex: string;
  /** A Node script. */
  readonly pi: string;
  readonly opencode: string;
  readonly claude: string;
}

function platformBinary(
  modules: string,
  wrapper: string,
  candidates: readonly string[],
  binary: string,
): string {
  const require = createRequire(join(realpathSync(join(modules, wrapper)), "package.json"));
  for (const name of candidates) {
    try {
      const path = join(dirname(require.resolve(`${name}/package.json`)), binary);
      if (existsSync(path)) return realpathSync(path);
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

/**
 * Where the pinned CLIs' programs are on this machine, in the `node_modules` folder `modules`,
 * each looked up when read. OpenCode and Claude Code ship their program in a platform package
 * that a postinstall script would copy into place; pnpm does not run it, so the platform binary
 * is named directly (OpenCode's baseline build on a CPU without AVX2). Reading one that is not
 * installed throws.
 */
export function pinnedClis(modules: string): PinnedClis {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  return {
    get codex() {
      return realpathSync(join(modules, "@openai/codex/bin/codex.js"));
    },
    get pi() {
      return realpathSync(join(modules, "@earendil-works/pi-coding-agent/dist/bundle/cli.js"));
    },
    get opencode() {
      const builds = hasAvx2()
        ? [`opencode-linux-${arch}`, `opencode-linux-${arch}-baseline`]
        : [`opencode-linux-${arch}-baseline`];
      return platformBinary(modules, "opencode-ai", builds, "bin/opencode");
    },
    get claude() {
      return platformBinary(
        modules,
        "@anthropic-ai/claude-code",
        [`@anthropic-ai/claude-code-linux-${arch}`],
        "claude",
      );
    },
  };
}
