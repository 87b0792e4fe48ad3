import { resolve } from "node:path";
import { UserError } from "@longshot/core/errors";
import { type CliContext, modeOf } from "../cli-context.js";

/** The commands that load a large part of longshot: each imports its own code when it runs. */
export async function runEntry(
  name: "demo" | "resume" | "spec" | "mcp" | "github",
  context: CliContext,
): Promise<number> {
  const { flags, env, cwd, repo, output, rest } = context;
  // Loaded per command: the demo paints its dashboard before the configuration code loads.
  const config = async () => (await import("../config-loader.js")).loadCliConfig;
  switch (name) {
    case "demo": {
      // The dashboard first, then the rest of longshot (the run, the sample, the model server).
      const { openDemoDisplay } = await import("./demo-display.js");
      const display = await openDemoDisplay(modeOf(context), output, flags.config);
      const { demoCommand } = await import("./demo.js");
      return demoCommand({
        display,
        output,
        env,
        mode: modeOf(context),
        ...(flags.text.dir === undefined ? {} : { dir: flags.text.dir }),
        ...(flags.text.pace === undefined ? {} : { latencyScale: parsePace(flags.text.pace) }),
        flags: flags.config,
      });
    }
    case "resume": {
      const { runCommand } = await import("./run.js");
      const { configSources } = await import("../config-loader.js");
      const { config: settings, secrets } = (await config())(flags, env, cwd, repo);
      return runCommand({
        config: settings,
        secrets,
        repo,
        request: null,
        ...(rest[0] === undefined ? {} : { runId: rest[0] }),
        // The run's own settings are restored under the flags given now.
        configSources: configSources(flags, env, cwd, repo),
        repoGiven: flags.text.repo !== undefined,
        mode: modeOf(context),
        output,
        env,
      });
    }
    case "spec": {
      const { specCommand } = await import("./spec.js");
      const { config: settings } = (await config())(flags, env, cwd, repo);
      return specCommand(settings, repo, output, flags.bool.yes);
    }
    case "github": {
      const { config: settings, secrets } = (await config())(flags, env, cwd, repo);
      if (flags.bool.watch) {
        const watchTime =
          flags.text["watch-time"] === undefined ? undefined : parseSeconds(flags.text["watch-time"]);
        const { githubWatch } = await import("./github-watch.js");
        return githubWatch({
          config: settings,
          secrets,
          repos: [repo, ...(flags.text.repos ?? "").split(",").filter((path) => path.trim() !== "")],
          label: flags.text.label ?? "longshot",
          ...(watchTime === undefined ? {} : { watchTime }),
          mode: modeOf(context),
          output,
          env,
        });
      }
      const { githubCommand } = await import("./github.js");
      return githubCommand({
        config: settings,
        secrets,
        repo,
        label: flags.text.label ?? "longshot",
        ...(flags.text.goal === undefined ? {} : { goal: flags.text.goal }),
        ...(flags.text.capabilities === undefined ? {} : { capabilities: flags.text.capabilities }),
        mode: modeOf(context),
        output,
        env,
      });
    }
    case "mcp": {
      const { mcpCommand } = await import("./mcp.js");
      const loadCliConfig = await config();
      return mcpCommand({
        configFor: (overrides) => {
          const loaded = loadCliConfig(
            { ...flags, config: { ...overrides, ...flags.config } },
            env,
            cwd,
            repo,
          );
          return { config: loaded.config, secrets: loaded.secrets };
        },
        repo: resolve(repo),
        repoGiven: flags.text.repo !== undefined,
        http: flags.bool.http,
        port: flags.text.port === undefined ? 0 : parsePort(flags.text.port),
        token: flags.text.token,
        output,
        env,
      });
    }
  }
}

function parsePace(text: string): number {
  const pace = Number(text);
  if (!Number.isFinite(pace) || pace < 0 || pace > 100) {
    throw new UserError(`--pace is "${text}" but must be a number from 0 (no simulated latency) to 100.`);
  }
  return pace;
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new UserError(`--watch-time is "${text}" but must be a whole number of seconds, such as 3600.`);
  }
  return seconds;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(`--port is "${text}" but must be a port number from 0 to 65535.`);
  }
  return port;
}
