import { type CliContext, modeOf } from "../cli-context.js";
import { loadCliConfig, mistypedSettings } from "../config-loader.js";
import { openDisplay } from "../event-output.js";

/** `longshot "<request>"`: settings from flags, environment, `--repo`'s .env, then the working directory's. */
export async function runRequest(context: CliContext, request: string): Promise<number> {
  const { flags, env, cwd, repo, output } = context;
  const { config, secrets } = loadCliConfig(flags, env, cwd, repo);
  for (const warning of mistypedSettings(flags, env, cwd, repo)) output.err(`warning: ${warning}`);
  // The dashboard (or the plain output) first; the run's code loads while it shows "starting".
  const display = await openDisplay(modeOf(context), output, {
    maxWorkers: config.MAX_WORKERS,
    budget: { usd: config.MAX_COST_USD ?? null, tokens: config.MAX_TOKENS ?? null },
    onInterrupt: () => process.kill(process.pid, "SIGINT"),
  });
  display.progress("starting: loading…");
  const { runCommand } = await import("./run.js");
  return runCommand({
    display,
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
