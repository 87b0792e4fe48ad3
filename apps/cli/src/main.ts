#!/usr/bin/env node
import { exitCodeOf, LongshotError, messageOf, UserError, UserErrors } from "@longshot/core";
import { doctor } from "./commands/doctor.js";
import { init } from "./commands/init.js";
import { loadCliConfig } from "./config-loader.js";
import { parseFlags } from "./flags.js";
import { commandHelp, mainHelp } from "./help.js";
import { createOutput, type Output, paint } from "./output.js";

async function main(argv: readonly string[], output: Output): Promise<number> {
  const flags = parseFlags(argv);
  const [command, ...rest] = flags.positionals;
  if (flags.bool.version) {
    output.out("longshot 0.1.0");
    return 0;
  }
  if (command === undefined || command === "help") {
    const topic = command === "help" ? rest[0] : undefined;
    output.out(topic !== undefined && commandHelp[topic] ? commandHelp[topic] : mainHelp);
    return 0;
  }
  if (flags.bool.help) {
    output.out(commandHelp[command] ?? mainHelp);
    return 0;
  }
  const cwd = process.cwd();
  switch (command) {
    case "doctor": {
      const { config } = loadCliConfig(flags, process.env, cwd);
      return doctor(config, output);
    }
    case "init":
      return init(flags.text.repo ?? cwd, output);
    default:
      throw new UserError(`Unknown command "${command}"; run longshot --help to see the commands.`);
  }
}

const output = createOutput(process.env, process.stdout, process.stderr);
main(process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserErrors) {
      for (const problem of error.problems) output.err(`${paint(output, "red", "error:")} ${problem}`);
    } else if (error instanceof LongshotError) {
      output.err(`${paint(output, "red", "error:")} ${error.message}`);
    } else {
      output.err(`${paint(output, "red", "internal error:")} ${messageOf(error)}`);
      if (error instanceof Error && error.stack) output.err(error.stack);
    }
    process.exitCode = exitCodeOf(error);
  },
);
