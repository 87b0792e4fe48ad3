import { resolve } from "node:path";
import type { CliContext } from "../cli-context.js";
import { loadCliConfig, mistypedSettings } from "../config-loader.js";
import { toolPath } from "../run-context.js";
import { sandboxServiceChecks } from "../sandbox-preflight.js";
import { doctor, isolationProbe } from "./doctor.js";

/** `longshot doctor`: the run's own configuration path (`--repo`'s .env included), every probe at once. */
export async function doctorCommand(context: CliContext): Promise<number> {
  const { flags, env, cwd, repo, output } = context;
  const { config } = loadCliConfig(flags, env, cwd, repo);
  return doctor(
    config,
    output,
    [
      isolationProbe({ path: toolPath(config), env }),
      (checked) => sandboxServiceChecks(checked),
      async () =>
        mistypedSettings(flags, env, cwd, repo).map((detail) => ({
          name: "settings",
          status: "warn" as const,
          detail,
        })),
    ],
    {
      repo: resolve(repo),
      repoGiven: flags.text.repo !== undefined,
      signal: AbortSignal.timeout(60_000),
    },
  );
}
