import type { Clock, EmitEvent } from "@longshot/core";
import type { ToolCall, ToolMessage } from "@longshot/llm";
import type { AgentTool, ToolContext, ToolResult } from "../tools/agent-tool.js";
import { type TruncateLimits, truncateOutput } from "../truncate-output.js";

/** Everything one tool call needs besides the call itself. */
export interface DispatchContext {
  readonly tools: ReadonlyMap<string, AgentTool>;
  readonly toolContext: ToolContext;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  readonly taskId: string;
  readonly attempt: number;
  readonly truncate: TruncateLimits;
}

/** A tool call's result as the model will see it, plus the handoff when it was `finish`. */
export interface DispatchedCall {
  readonly message: ToolMessage;
  readonly result: ToolResult;
}

/**
 * Runs one tool call: emits `tool-call-start`, runs the tool (an unknown tool is a failed
 * result naming the tools that exist), cuts the output to head and tail, emits `tool-call-end`.
 * Throws only `AbortError`.
 */
export async function dispatchToolCall(call: ToolCall, context: DispatchContext): Promise<DispatchedCall> {
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
  const output = truncateOutput(raw.output, context.truncate);
  const durationMs = context.clock.now() - started;
  emit({
    type: "tool-call-end",
    taskId,
    attempt,
    callId: call.id,
    tool: call.name,
    ok: raw.ok,
    output,
    durationMs,
  });
  return { message: { role: "tool", toolCallId: call.id, content: output }, result: { ...raw, output } };
}
