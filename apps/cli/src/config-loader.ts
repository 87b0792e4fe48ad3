import { resolve } from "node:path";
import { type ConfigSources, type LoadedConfig, loadConfig, readDotenv } from "@longshot/core";
import type { ParsedFlags } from "./flags.js";

/** Where configuration comes from: flags > environment > .env (in the working directory). */
export function configSources(flags: ParsedFlags, env: NodeJS.ProcessEnv, cwd: string): ConfigSources {
  const dotenvPath = resolve(cwd, flags.text["env-file"] ?? ".env");
  return { flags: flags.config, env, dotenv: readDotenv(dotenvPath) };
}

/** Assembles the configuration: flags > environment > .env (in the working directory) > defaults. */
export function loadCliConfig(flags: ParsedFlags, env: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  return loadConfig(configSources(flags, env, cwd));
}
