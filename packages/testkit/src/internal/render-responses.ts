import { jsonEvent, type SseEvent } from "@longshot/wire";
import type { FakeRequest } from "../fake-request.js";
import { chunkText } from "./chunk-text.js";
import type { PreparedReply } from "./prepare-reply.js";
import type { ResolvedUsage } from "./usage.js";

type OutputItem = Record<string, unknown>;

function responsesUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function messageItem(request: FakeRequest, text: string, status: string): OutputItem {
  return {
    id: `msg_fake${request.index}`,
    type: "message",
    status,
    role: "assistant",
    content: status === "in_progress" ? [] : [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
}

function functionCallItems(request: FakeRequest, reply: PreparedReply, status: string): OutputItem[] {
  return reply.toolCalls.map((call, position) => ({
    id: `fc_fake${request.index}_${position}`,
    type: "function_call",
    status,
    arguments: status === "in_progress" ? "" : call.arguments,
    call_id: call.id,
    name: call.name,
  }));
}

function responseObject(
  request: FakeRequest,
  reply: PreparedReply,
  finished: boolean,
): Record<string, unknown> {
  const output: OutputItem[] = [];
  if (finished && reply.text !== "") output.push(messageItem(request, reply.text, "completed"));
  if (finished) output.push(...functionCallItems(request, reply, "completed"));
  const incomplete = finished && reply.finish === "length";
  const tools =
    typeof request.body === "object" && request.body !== null && "tools" in request.body
      ? request.body.tools
      : [];
  return {
    id: `resp_fake${request.index}`,
    object: "response",
    created_at: reply.created,
    status: finished ? (incomplete ? "incomplete" : "completed") : "in_progress",
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    instructions: null,
    max_output_tokens: request.maxOutputTokens ?? null,
    model: request.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    store: false,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: Array.isArray(tools) ? tools : [],
    top_p: 1,
    truncation: "disabled",
    usage: finished ? responsesUsage(reply.usage) : null,
    metadata: {},
  };
}

/** The body of a non-streamed Responses API reply. */
export function renderResponsesBody(request: FakeRequest, reply: PreparedReply): unknown {
  return responseObject(request, reply, true);
}

function textEvents(request: FakeRequest, reply: PreparedReply): Record<string, unknown>[] {
  const itemId = `msg_fake${request.index}`;
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const part = { type: "output_text", text: reply.text, annotations: [], logprobs: [] };
  return [
    { type: "response.output_item.added", output_index: 0, item: messageItem(request, "", "in_progress") },
    { type: "response.content_part.added", ...at, part: { ...part, text: "" } },
    ...chunkText(reply.text, reply.chunkChars).map((delta) => ({
      type: "response.output_text.delta",
      ...at,
      delta,
      logprobs: [],
    })),
    { type: "response.output_text.done", ...at, text: reply.text, logprobs: [] },
    { type: "response.content_part.done", ...at, part },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: messageItem(request, reply.text, "completed"),
    },
  ];
}

function functionCallEvents(
  request: FakeRequest,
  reply: PreparedReply,
  firstIndex: number,
): Record<string, unknown>[] {
  const started = functionCallItems(request, reply, "in_progress");
  const finished = functionCallItems(request, reply, "completed");
  return reply.toolCalls.flatMap((call, position) => {
    const outputIndex = firstIndex + position;
    const itemId = `fc_fake${request.index}_${position}`;
    return [
      { type: "response.output_item.added", output_index: outputIndex, item: started[position] },
      ...chunkText(call.arguments, reply.chunkChars).map((delta) => ({
        type: "response.function_call_arguments.delta",
        item_id: itemId,
        output_index: outputIndex,
        delta,
      })),
      {
        type: "response.function_call_arguments.done",
        item_id: itemId,
        output_index: outputIndex,
        name: call.name,
        arguments: call.arguments,
      },
      { type: "response.output_item.done", output_index: outputIndex, item: finished[position] },
    ];
  });
}

/**
 * The named events of a streamed Responses API reply, as Codex CLI reads them:
 * `response.created`, `response.in_progress`, output items with their deltas, and
 * `response.completed` (or `response.incomplete` when cut by the token limit) carrying usage.
 */
export function renderResponsesStream(request: FakeRequest, reply: PreparedReply): SseEvent[] {
  const started = responseObject(request, reply, false);
  const finished = responseObject(request, reply, true);
  const bodies: Record<string, unknown>[] = [
    { type: "response.created", response: started },
    { type: "response.in_progress", response: started },
    ...(reply.text === "" ? [] : textEvents(request, reply)),
    ...functionCallEvents(request, reply, reply.text === "" ? 0 : 1),
    { type: reply.finish === "length" ? "response.incomplete" : "response.completed", response: finished },
  ];
  return bodies.map((body, sequence) => jsonEvent(String(body.type), { ...body, sequence_number: sequence }));
}
