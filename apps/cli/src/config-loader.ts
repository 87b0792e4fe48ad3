import { resolve } from "node:path";
import { type ConfigSources, type LoadedConfig, loadConfig, readDotenv, variableNames } from "@longshot/core";
import type { ParsedFlags } from "./flags.js";
import { closestName } from "./suggest.js";

/** The `.env` files settings are read from, lowest precedence first. */
export function dotenvPaths(flags: ParsedFlags, cwd: string, repo: string | undefined): string[] {
  const file = flags.text["env-file"];
  if (file !== undefined) return [resolve(cwd, file)];
  const paths = [resolve(cwd, ".env")];
  if (repo !== undefined && resolve(repo, ".env") !== paths[0]) paths.push(resolve(repo, ".env"));
  return paths;
}

/**
 * Where the configuration comes from: flags > environment > the `.env` of the repository worked
 * on (`--repo`) > the `.env` of the working directory. `--env-file` replaces both files. `resume`
 * puts a run's recorded settings between the flags and the rest (see `resumeConfig`).
 */
export function configSources(
  flags: ParsedFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repo?: string,
): ConfigSources {
  const dotenv: Record<string, string> = {};
  for (const path of dotenvPaths(flags, cwd, repo)) {
    for (const [name, value] of Object.entries(readDotenv(path))) {
      // An empty line in the repository's .env does not erase a value from the working directory's.
      if (value.trim() !== "" || dotenv[name] === undefined) dotenv[name] = value;
    }
  }
  return { flags: flags.config, env, dotenv };
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
  return loadConfig(configSources(flags, env, cwd, repo));
}

/**
 * A sentence for each setting that is almost the name of one longshot reads (`LLM_BASEURL`,
 * `MAX_WORKER`, `llm_model`) in a `.env` file or the environment: longshot ignores it, which a
 * typo would otherwise leave unnoticed. Names that are not close to any of longshot's (an
 * application's own `DATABASE_URL`) are not mentioned, nor, in the environment, names that do
 * not start as the one they are close to does (another tool's `LOGLEVEL`).
 */
export function mistypedSettings(
  flags: ParsedFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repo?: string,
): string[] {
  const known = new Set<string>(variableNames);
  const found: string[] = [];
  const sources: [string, readonly string[]][] = [
    ...dotenvPaths(flags, cwd, repo).map((path): [string, string[]] => [path, Object.keys(readDotenv(path))]),
    ["the environment", Object.keys(env)],
  ];
  for (const [where, names] of sources) {
    const shared = where === "the environment";
    for (const name of names) {
      if (known.has(name)) continue;
      const meant = closestName(name.toUpperCase(), variableNames, { minLength: 6 });
      if (meant === null) continue;
      // The environment is every program's: there a name must also start as longshot's does
      // (LLM_, MAX_, SANDBOX_…), so another tool's LOGLEVEL is not taken for LOG_LEVEL.
      if (shared && !name.toUpperCase().startsWith(`${meant.split("_")[0]}_`)) continue;
      found.push(`${where} sets ${name}, which longshot does not read; did you mean ${meant}?`);
    }
  }
  return found;
}
