import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCliConfig } from "./config-loader.js";
import { parseFlags } from "./flags.js";

function dirWith(dotenv: string): string {
  const dir = mkdtempSync(join(tmpdir(), "longshot-config-"));
  writeFileSync(join(dir, ".env"), dotenv);
  return dir;
}

describe("loadCliConfig", () => {
  it("reads the repository's .env over the working directory's, the environment and flags over both", () => {
    const cwd = dirWith("MAX_WORKERS=3\nLLM_MODEL=from-cwd\nLOG_LEVEL=warn\n");
    const repo = dirWith("MAX_WORKERS=7\nLLM_MODEL=\n");
    const loaded = loadCliConfig(parseFlags(["--repo", repo]), {}, cwd, repo);
    expect(loaded.config.MAX_WORKERS).toBe(7);
    // An empty line in the repository's .env does not erase the working directory's value.
    expect(loaded.config.LLM_MODEL).toBe("from-cwd");
    expect(loaded.config.LOG_LEVEL).toBe("warn");
    expect(loadCliConfig(parseFlags([]), { MAX_WORKERS: "9" }, cwd, repo).config.MAX_WORKERS).toBe(9);
    expect(
      loadCliConfig(parseFlags(["--workers", "2"]), { MAX_WORKERS: "9" }, cwd, repo).config.MAX_WORKERS,
    ).toBe(2);
  });

  it("reads only the named file with --env-file", () => {
    const cwd = dirWith("MAX_WORKERS=3\n");
    const repo = dirWith("MAX_WORKERS=7\n");
    const other = dirWith("LLM_MODEL=named\n");
    const loaded = loadCliConfig(parseFlags(["--env-file", join(other, ".env")]), {}, cwd, repo);
    expect(loaded.config.MAX_WORKERS).toBe(50);
    expect(loaded.config.LLM_MODEL).toBe("named");
  });
});
