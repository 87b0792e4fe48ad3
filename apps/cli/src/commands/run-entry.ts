import { type CliContext, modeOf } from "../cli-context.js";
import { loadCliConfig } from "../config-loader.js";
import { runCommand } from "./run.js";

/** `longshot "<request>"`: settings from flags, environment, `--repo`'s .env, then the working directory's. */
export async function runRequest(context: CliContext, request: string): Promise<number> {
  const { flags, env, cwd, repo, output } = context;
  const { config, secrets } = loadCliConfig(flags, env, cwd, repo);
  return runCommand({
    config,
    secrets,
    repo,
    request,
    mode: modeOf(context),
    output,
    env,
    reset: flags.bool.reset,
    pr: flags.bool.pr,
    repoGiven: flags.text.repo !== undefined,
  });
}
