import type { HarnessName } from "../harness.js";
import type { CliEventParser } from "./cli-event.js";

/** Where an external CLI calls models: the gateway as the sandbox sees it, and its token. */
export interface CliEndpoint {
  /** OpenAI-style base URL ending in `/v1`; adapters for other protocols derive what they need. */
  readonly baseUrl: string;
  /** The attempt's gateway token (never a real key), sent as the CLI's API key. */
  readonly apiKey: string;
}

/** What an adapter needs to plan one run. */
export interface CliPlanInput {
  /** Program and leading arguments that start the CLI, such as `["codex"]`. */
  readonly command: readonly string[];
  readonly prompt: string;
  readonly model: string;
  /** An empty directory inside the sandbox, outside the workspace, for the CLI's own state. */
  readonly stateDir: string;
  /** The workspace as commands inside the sandbox see it. */
  readonly workdir: string;
  readonly endpoint: CliEndpoint;
  readonly maxTurns: number;
}

/** How to run the CLI: its command line, environment, and config files for its state directory. */
export interface CliRunPlan {
  readonly argv: readonly string[];
  /** Added to the sandbox environment of this one process (the token goes here, nowhere else). */
  readonly env: Readonly<Record<string, string>>;
  /** Files written into the state directory before the run, by name. */
  readonly files: readonly { readonly name: string; readonly content: string }[];
}

/** Knows one external coding CLI: how to configure and start it, and how to read its output. */
export interface CliAdapter {
  readonly name: Exclude<HarnessName, "builtin">;
  /** Command used when the harness options name none. */
  readonly defaultCommand: readonly string[];
  /** The npm package that installs the CLI. */
  readonly npmPackage: string;
  /**
   * The version longshot is tested with (this package's devDependency), installed where images
   * are built: the Docker CLI image, the Modal image layer, the E2B CLI template.
   */
  readonly npmVersion: string;
  plan(input: CliPlanInput): CliRunPlan;
  createParser(): CliEventParser;
}
