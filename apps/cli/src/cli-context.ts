import { UserError } from "@longshot/core/errors";
import type { OutputMode } from "./event-output.js";
import type { ParsedFlags } from "./flags.js";
import type { Output } from "./output.js";

export interface CliStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** What every command gets: the parsed flags and where to write. */
export interface CliContext {
  readonly flags: ParsedFlags;
  readonly rest: readonly string[];
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The top of the git repository `--repo`, else the working directory, is in (see `repositoryTop`). */
  readonly repo: string;
  readonly streams: CliStreams;
}

/** The output mode of a run: `--json` wins; the dashboard on a terminal unless --no-dashboard. */
export function modeOf(context: CliContext): OutputMode {
  const { flags, output } = context;
  if (flags.bool.json) return "json";
  if (flags.bool["no-dashboard"]) return "plain";
  if (flags.bool.dashboard || output.isTty) return "dashboard";
  return "plain";
}

/** The run id argument of `show`, `report`, `replay` and `resume`. */
export function requireRunArgument(context: CliContext, command: string): string {
  const runId = context.rest[0];
  if (runId === undefined)
    throw new UserError(`longshot ${command} needs a run id (or latest); longshot runs lists them.`);
  return runId;
}
