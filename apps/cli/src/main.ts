#!/usr/bin/env node
import { resolve } from "node:path";
import { exitCodeOf, LongshotError, messageOf, UserError, UserErrors } from "@longshot/core";
import { demoCommand } from "./commands/demo.js";
import { doctor } from "./commands/doctor.js";
import { endpointChecks } from "./commands/doctor-endpoints.js";
import { githubCommand } from "./commands/github.js";
import { githubWatch } from "./commands/github-watch.js";
import { init } from "./commands/init.js";
import { reportCommand, runsCommand, showCommand } from "./commands/inspect.js";
import { mcpCommand } from "./commands/mcp.js";
import { runCommand } from "./commands/run.js";
import { specCommand } from "./commands/spec.js";
import { loadCliConfig } from "./config-loader.js";
import { outputMode } from "./event-output.js";
import { type ParsedFlags, parseFlags } from "./flags.js";
import { commandHelp, mainHelp } from "./help.js";
import { createOutput, type Output, paint } from "./output.js";

const commands = new Set([
  "help",
  "doctor",
  "init",
  "spec",
  "demo",
  "resume",
  "runs",
  "show",
  "report",
  "mcp",
  "github",
]);

function modeOf(flags: ParsedFlags, output: Output) {
  return outputMode(
    { json: flags.bool.json, dashboard: flags.bool.dashboard, noDashboard: flags.bool["no-dashboard"] },
    output,
  );
}

async function main(argv: readonly string[], output: Output): Promise<number> {
  const flags = parseFlags(argv);
  const [first, ...rest] = flags.positionals;
  if (flags.bool.version) {
    output.out("longshot 0.1.0");
    return 0;
  }
  if (first === undefined && argv.length > 0 && !flags.bool.help) {
    throw new UserError(
      `Give a request, such as longshot "Build per SPEC.md", or a command; longshot --help lists them.`,
    );
  }
  if (first === undefined || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    output.out(topic !== undefined && commandHelp[topic] ? commandHelp[topic] : mainHelp);
    return 0;
  }
  if (flags.bool.help) {
    output.out(commandHelp[commands.has(first) ? first : "run"] ?? mainHelp);
    return 0;
  }
  const cwd = process.cwd();
  const repo = flags.text.repo ?? cwd;
  const env = process.env;
  if (!commands.has(first)) {
    if (rest.length > 0) {
      throw new UserError(`Give the request as one quoted argument, such as longshot "Build per SPEC.md".`);
    }
    const { config, secrets } = loadCliConfig(flags, env, cwd);
    return runCommand({
      config,
      secrets,
      repo,
      request: first,
      mode: modeOf(flags, output),
      output,
      env,
      reset: flags.bool.reset,
      pr: flags.bool.pr,
      repoGiven: flags.text.repo !== undefined,
    });
  }
  switch (first) {
    case "doctor": {
      const { config } = loadCliConfig(flags, env, cwd);
      return doctor(config, output, [endpointChecks]);
    }
    case "init":
      return init(repo, output);
    case "spec": {
      const { config } = loadCliConfig(flags, env, cwd);
      return specCommand(config, repo, output, flags.bool.yes);
    }
    case "demo":
      return demoCommand({
        output,
        env,
        mode: modeOf(flags, output),
        ...(flags.text.dir === undefined ? {} : { dir: flags.text.dir }),
        ...(flags.text.pace === undefined ? {} : { latencyScale: parsePace(flags.text.pace) }),
        flags: flags.config,
      });
    case "resume": {
      const { config, secrets } = loadCliConfig(flags, env, cwd);
      return runCommand({
        config,
        secrets,
        repo,
        request: null,
        ...(rest[0] === undefined ? {} : { runId: rest[0] }),
        repoGiven: flags.text.repo !== undefined,
        mode: modeOf(flags, output),
        output,
        env,
      });
    }
    case "github": {
      const { config, secrets } = loadCliConfig(flags, env, cwd);
      if (flags.bool.watch) {
        return githubWatch({
          config,
          secrets,
          repos: [repo, ...(flags.text.repos ?? "").split(",").filter((path) => path.trim() !== "")],
          label: flags.text.label ?? "longshot",
          ...(flags.text["watch-time"] === undefined
            ? {}
            : { watchTime: parseSeconds(flags.text["watch-time"]) }),
          mode: modeOf(flags, output),
          output,
          env,
        });
      }
      return githubCommand({
        config,
        secrets,
        repo,
        label: flags.text.label ?? "longshot",
        ...(flags.text.goal === undefined ? {} : { goal: flags.text.goal }),
        ...(flags.text.capabilities === undefined ? {} : { capabilities: flags.text.capabilities }),
        mode: modeOf(flags, output),
        output,
        env,
      });
    }
    case "mcp":
      return mcpCommand({
        configFor: (overrides) => {
          const loaded = loadCliConfig({ ...flags, config: { ...overrides, ...flags.config } }, env, cwd);
          return { config: loaded.config, secrets: loaded.secrets };
        },
        repo: resolve(repo),
        http: flags.bool.http,
        port: flags.text.port === undefined ? 0 : parsePort(flags.text.port),
        token: flags.text.token,
        output,
        env,
      });
    case "runs":
      return runsCommand(repo, output, flags.bool.json);
    case "show":
      return showCommand(repo, requireRun(rest[0], "show"), output, flags.bool.json);
    case "report":
      return reportCommand(repo, requireRun(rest[0], "report"), output, {
        html: flags.bool.html,
        ...(flags.text.out === undefined ? {} : { out: flags.text.out }),
      });
    default:
      throw new UserError(
        `longshot ${first} is not available in this build; run longshot --help to see the commands.`,
      );
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

function requireRun(runId: string | undefined, command: string): string {
  if (runId === undefined)
    throw new UserError(`longshot ${command} needs a run id; longshot runs lists them.`);
  return runId;
}

const output = createOutput(process.env, process.stdout, process.stderr);
main(process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserErrors) {
      for (const problem of error.problems) output.err(`${paint(output, "red", "error:")} ${problem}`);
    } else if (error instanceof LongshotError && error.exitCode === 2) {
      output.err(`${paint(output, "red", "error:")} ${error.message}`);
    } else {
      output.err(`${paint(output, "red", "internal error:")} ${messageOf(error)}`);
      if (error instanceof Error && error.stack) output.err(error.stack);
    }
    process.exitCode = exitCodeOf(error);
  },
);
