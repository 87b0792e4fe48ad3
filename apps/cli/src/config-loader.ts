import { resolve } from "node:path";
import { type LoadedConfig, loadConfig, readDotenv } from "@longshot/core";
import type { ParsedFlags } from "./flags.js";

/** Assembles the configuration: flags > environment > .env (in the working directory) > defaults. */
export function loadCliConfig(flags: ParsedFlags, env: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  const dotenvPath = resolve(cwd, flags.text["env-file"] ?? ".env");
  return loadConfig({ flags: flags.config, env, dotenv: readDotenv(dotenvPath) });
}
