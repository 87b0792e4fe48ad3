import type { CliPlanInput, CliRunPlan } from "./cli-adapter.js";

/** What one CLI adds to the plan that every CLI shares. */
export interface CliPlanParts {
  /** The CLI's own arguments, between the command and the prompt. */
  readonly args: readonly string[];
  /** The environment variable the CLI reads its API key from: it gets the gateway token. */
  readonly keyEnv: string;
  /** The CLI's own environment: where its state lives, what it must not do by itself. */
  readonly env: Readonly<Record<string, string>>;
  /** Config files for the state directory. */
  readonly files?: CliRunPlan["files"];
}

/**
 * The run plan every CLI follows: the command, the CLI's arguments and the prompt as the last
 * argument; the gateway token in `keyEnv` and in no other variable or file; colour off.
 */
export function cliRunPlan(input: CliPlanInput, parts: CliPlanParts): CliRunPlan {
  return {
    argv: [...input.command, ...parts.args, input.prompt],
    env: { ...parts.env, [parts.keyEnv]: input.endpoint.apiKey, NO_COLOR: "1" },
    files: parts.files ?? [],
  };
}

/** A config file for the state directory, as indented JSON. */
export function jsonFile(name: string, value: unknown): CliRunPlan["files"][number] {
  return { name, content: JSON.stringify(value, null, 2) };
}
