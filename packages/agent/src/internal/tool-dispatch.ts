import type { Clock, EmitEvent } from "@longshot/core";
import type { ToolCall, ToolMessage } from "@longshot/llm";
import type { AgentTool, ToolContext, ToolResult } from "../tools/agent-tool.js";
import {
  defaultOmissionNote,
  type OmissionNote,
  type TruncateLimits,
  truncateOutput,
} from "../truncate-output.js";
import type { RepeatedReads } from "./repeated-reads.js";

/** Everything one tool call needs besides the call itself. */
export interface DispatchContext {
  readonly tools: ReadonlyMap<string, AgentTool>;
  readonly toolContext: ToolContext;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  readonly taskId: string;
  readonly attempt: number;
  readonly truncate: TruncateLimits;
  readonly repeats: RepeatedReads;
}

/** A tool call's result as the model will see it, plus the handoff when it was `finish`. */
export interface DispatchedCall {
  readonly message: ToolMessage;
  readonly result: ToolResult;
}

/**
 * Runs one tool call: emits `tool-call-start`, runs the tool (an unknown tool is a failed
 * result naming the tools that exist), cuts the output to head and tail within `maxChars` with
 * the tool's note on how to read the rest, shows a repeated read-only result as a reference to
 * the earlier one, emits `tool-call-end` with what the model sees. Throws only `AbortError`.
 */
export async function dispatchToolCall(
  call: ToolCall,
  context: DispatchContext,
  maxChars: number = context.truncate.maxChars,
): Promise<DispatchedCall> {
  const { emit, taskId, attempt } = context;
  emit({ type: "tool-call-start", taskId, attempt, callId: call.id, tool: call.name, input: call.arguments });
  const started = context.clock.now();
  const tool = context.tools.get(call.name);
  const raw: ToolResult =
    tool === undefined
      ? {
          ok: false,
          output: `Error: there is no tool named "${call.name}". Available tools: ${[...context.tools.keys()].join(", ")}.`,
        }
      : await tool.call(call.arguments, context.toolContext);
  let output = raw.output.length <= maxChars ? raw.output : cut(raw.output, tool, call, context, maxChars);
  if (raw.ok && tool?.readOnly === true) output = context.repeats.shown(call, output);
  end(context, call, raw.ok, output, context.clock.now() - started);
  return { message: { role: "tool", toolCallId: call.id, content: output }, result: { ...raw, output } };
}

/** Answers a call without running it (the turn has more calls than fit): a failed result saying why. */
export function skipToolCall(call: ToolCall, context: DispatchContext, reason: string): DispatchedCall {
  const { emit, taskId, attempt } = context;
  emit({ type: "tool-call-start", taskId, attempt, callId: call.id, tool: call.name, input: call.arguments });
  end(context, call, false, reason, 0);
  return {
    message: { role: "tool", toolCallId: call.id, content: reason },
    result: { ok: false, output: reason },
  };
}

/** The output cut to `maxChars`, with the tool's own note on how to read the rest when it has one. */
function cut(
  output: string,
  tool: AgentTool | undefined,
  call: ToolCall,
  context: DispatchContext,
  maxChars: number,
): string {
  const note: OmissionNote = tool?.omissionNote?.(call.arguments) ?? defaultOmissionNote;
  return truncateOutput(output, { ...context.truncate, maxChars }, note);
}

function end(
  context: DispatchContext,
  call: ToolCall,
  ok: boolean,
  output: string,
  durationMs: number,
): void {
  const { taskId, attempt } = context;
  context.emit({
    type: "tool-call-end",
    taskId,
    attempt,
    callId: call.id,
    tool: call.name,
    ok,
    output,
    durationMs,
  });
}
