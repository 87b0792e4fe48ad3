import type { Handoff } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import type { OmissionNote } from "../truncate-output.js";

/** A JSON Schema object, as given to the model for a tool's arguments. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a tool call runs with. */
export interface ToolContext {
  readonly sandbox: Sandbox;
  readonly signal: AbortSignal;
  /** Records a repository-relative path the tool wrote, for the scope report. */
  recordWrite(path: string): void;
  /** Tells the stuck watchdog the tool is making progress (command output arrived). */
  reportActivity(): void;
}

/** What a tool call gives back to the model. */
export interface ToolResult {
  /** False when the call failed; the output then says why, for the model to react to. */
  readonly ok: boolean;
  readonly output: string;
  /** Set only by `finish`: the agent's report, which ends the loop. */
  readonly handoff?: Handoff;
}

/**
 * One tool the agent can call. `call` never throws for a bad call: invalid arguments, guard
 * refusals and failures come back as `{ ok: false }` results. It throws only `AbortError` when
 * `context.signal` aborts.
 */
export interface AgentTool {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonSchema;
  /**
   * True when the tool only reads: the same call with the same result again shows the model a
   * reference to the earlier result instead of a second copy.
   */
  readonly readOnly?: boolean;
  call(rawArguments: string, context: ToolContext): Promise<ToolResult>;
  /**
   * The note that replaces the middle of a result too long for the context, saying how to read
   * the omitted part with this tool; `undefined` (or no method) for the generic note.
   */
  omissionNote?(rawArguments: string): OmissionNote | undefined;
}
