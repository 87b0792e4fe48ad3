import { resolve } from "node:path";
import { type LoadedConfig, loadConfig, readDotenv } from "@longshot/core";
import type { ParsedFlags } from "./flags.js";

/** The `.env` files settings are read from, lowest precedence first. */
export function dotenvPaths(flags: ParsedFlags, cwd: string, repo: string | undefined): string[] {
  const file = flags.text["env-file"];
  if (file !== undefined) return [resolve(cwd, file)];
  const paths = [resolve(cwd, ".env")];
  if (repo !== undefined && resolve(repo, ".env") !== paths[0]) paths.push(resolve(repo, ".env"));
  return paths;
}

/**
 * Assembles the configuration: flags > environment > the `.env` of the repository worked on
 * (`--repo`) > the `.env` of the working directory > defaults. `--env-file` replaces both files.
 * Every command that needs settings (runs, doctor, spec, mcp) goes through here, so doctor
 * checks exactly what a run would use.
 */
export function loadCliConfig(
  flags: ParsedFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repo?: string,
): LoadedConfig {
  const dotenv: Record<string, string> = {};
  for (const path of dotenvPaths(flags, cwd, repo)) {
    for (const [name, value] of Object.entries(readDotenv(path))) {
      // An empty line in the repository's .env does not erase a value from the working directory's.
      if (value.trim() !== "" || dotenv[name] === undefined) dotenv[name] = value;
    }
  }
  return loadConfig({ flags: flags.config, env, dotenv });
}
