import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  AbortError,
  EnvironmentError,
  exitCodeOf,
  LongshotError,
  messageOf,
  UserError,
  UserErrors,
} from "@longshot/core/errors";
import type { CliContext, CliStreams } from "./cli-context.js";
import { confirmRequest, isSingleWord } from "./confirm.js";
import { type ParsedFlags, parseFlags } from "./flags.js";
import { commandHelp, mainHelp } from "./help.js";
import { createOutput, type Output, paint, parseColorChoice } from "./output.js";
import { repositoryTop } from "./state-paths.js";
import { closestCommand } from "./suggest.js";
import { cliVersion } from "./version.js";

/** Every command; anything else is a request. */
export const commandNames = [
  "help",
  "doctor",
  "init",
  "spec",
  "demo",
  "resume",
  "runs",
  "show",
  "report",
  "replay",
  "mcp",
  "github",
] as const;
type CommandName = (typeof commandNames)[number];

function isCommand(word: string): word is CommandName {
  return (commandNames as readonly string[]).includes(word);
}

/**
 * Runs the command line and returns the exit code. Only the parsing and the help are loaded up
 * front; each command's code (and its dependencies: the model client, sandboxes, the
 * dashboard, the MCP SDK) is imported when that command runs, so `--help` and `runs` start fast.
 */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  streams: CliStreams,
): Promise<number> {
  let output = createOutput(env, streams.stdout, streams.stderr);
  try {
    const flags = parseFlags(argv);
    output = createOutput(env, streams.stdout, streams.stderr, parseColorChoice(flags.text.color));
    return await dispatch(flags, argv, output, env, streams);
  } catch (error) {
    return reportError(error, output);
  }
}

function reportError(error: unknown, output: Output): number {
  if (error instanceof UserErrors) {
    for (const problem of error.problems) output.err(`${paint(output, "red", "error:")} ${problem}`);
  } else if (error instanceof EnvironmentError || (error instanceof LongshotError && error.exitCode === 2)) {
    output.err(`${paint(output, "red", "error:")} ${error.message}`);
  } else if (error instanceof AbortError) {
    // Ctrl+C: what the user asked for, not an error.
    output.err(error.message);
  } else if ((error as NodeJS.ErrnoException | null)?.code === "ENOSPC") {
    // The machine, not a bug: no stack trace.
    output.err(
      `${paint(output, "red", "error:")} ${messageOf(error)}: the disk is full; free space, then run the command again (an unfinished run goes on with longshot resume).`,
    );
  } else {
    output.err(`${paint(output, "red", "internal error:")} ${messageOf(error)}`);
    if (error instanceof Error && error.stack) output.err(error.stack);
  }
  return exitCodeOf(error);
}

async function dispatch(
  flags: ParsedFlags,
  argv: readonly string[],
  output: Output,
  env: NodeJS.ProcessEnv,
  streams: CliStreams,
): Promise<number> {
  const [first, ...rest] = flags.positionals;
  if (flags.bool.version) {
    output.out(`longshot ${cliVersion()}`);
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
    output.out(commandHelp[isCommand(first) ? first : "run"] ?? mainHelp);
    return 0;
  }
  const cwd = process.cwd();
  if (flags.text.repo !== undefined && !existsSync(resolve(cwd, flags.text.repo))) {
    throw new UserError(
      `--repo ${flags.text.repo} does not exist; pass the path of a git repository (or a folder in one).`,
    );
  }
  const repo = repositoryTop(resolve(cwd, flags.text.repo ?? "."));
  const context: CliContext = { flags, rest, output, env, cwd, repo, streams };
  if (isCommand(first)) {
    checkArguments(first, rest);
    return runCommandNamed(first, context);
  }
  await checkRequest(first, rest, flags, streams, output);
  const { runRequest } = await import("./commands/run-entry.js");
  return runRequest(context, first);
}

/**
 * Refuses what is almost certainly not a build request: an empty one, a word a typo away from a
 * command (`rnus`, `reprot r1`), several unquoted words. A one-word request on a terminal is
 * confirmed first (or passed with --yes), since a run costs money.
 */
async function checkRequest(
  request: string,
  rest: readonly string[],
  flags: ParsedFlags,
  streams: CliStreams,
  output: Output,
): Promise<void> {
  if (request.trim() === "") {
    throw new UserError(
      `The request is empty; did you mean longshot --help? A request says what to build, such as longshot "Build per SPEC.md".`,
    );
  }
  const meant = closestCommand(request, commandNames);
  if (meant !== null && isSingleWord(request)) {
    const again = [meant, ...rest].join(" ");
    throw new UserError(
      `"${request}" is not a command; did you mean longshot ${again}? (A request is a sentence in quotes, such as longshot "Build per SPEC.md".)`,
    );
  }
  if (rest.length > 0) {
    throw new UserError(
      `Give the request as one quoted argument, such as longshot "${[request, ...rest].join(" ")}".`,
    );
  }
  if (isSingleWord(request) && !flags.bool.yes && streams.stdin.isTTY && output.isTty) {
    if (!(await confirmRequest(request, streams.stdin, streams.stderr))) {
      throw new UserError(`Not started. To run the one-word request "${request}" anyway, add --yes.`);
    }
  }
}

/** How many words each command takes after its name: a run id, or none. */
const argumentsTaken: Readonly<Record<CommandName, 0 | 1>> = {
  help: 1,
  doctor: 0,
  init: 0,
  spec: 0,
  demo: 0,
  resume: 1,
  runs: 0,
  show: 1,
  report: 1,
  replay: 1,
  mcp: 0,
  github: 0,
};

/** Refuses words a command does not take (`longshot runs extra`), which it would otherwise ignore. */
function checkArguments(name: CommandName, rest: readonly string[]): void {
  const extra = rest.slice(argumentsTaken[name]);
  if (extra.length === 0) return;
  const what = argumentsTaken[name] === 0 ? "takes no argument" : "takes one run id";
  throw new UserError(
    `longshot ${name} ${what}, but was given ${extra.map((word) => JSON.stringify(word)).join(" ")}; longshot ${name} --help shows what it takes.`,
  );
}

async function runCommandNamed(name: CommandName, context: CliContext): Promise<number> {
  switch (name) {
    case "help":
      // Handled before: kept for the exhaustive switch.
      context.output.out(mainHelp);
      return 0;
    case "init": {
      const { init } = await import("./commands/init.js");
      return init(context.repo, context.output);
    }
    case "runs":
    case "show":
    case "report": {
      const inspect = await import("./commands/inspect.js");
      return inspect.inspectCommand(name, context);
    }
    case "replay": {
      const { replayCommand } = await import("./commands/replay.js");
      return replayCommand(context);
    }
    case "doctor": {
      const { doctorCommand } = await import("./commands/doctor-entry.js");
      return doctorCommand(context);
    }
    default: {
      const entries = await import("./commands/entries.js");
      return entries.runEntry(name, context);
    }
  }
}
