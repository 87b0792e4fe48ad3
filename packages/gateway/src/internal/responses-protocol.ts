import type { CompletedToolCall, Completion } from "@longshot/llm";
import { jsonEvent, parseResponsesRequest, type SseEvent, type WireCall } from "@longshot/wire";
import { chatErrorBody } from "./chat-protocol.js";
import type { ErrorKind, GatewayProtocol, ReplyMeta, ReplyRenderer } from "./protocol.js";

type Item = Record<string, unknown>;

/** The free-form input of a custom tool call: the `input` string the pool's model wrote. */
function customInput(call: CompletedToolCall): string {
  const value = call.input;
  if (typeof value === "object" && value !== null && "input" in value && typeof value.input === "string")
    return value.input;
  return call.arguments;
}

class ResponsesRenderer implements ReplyRenderer {
  readonly #call: WireCall;
  readonly #meta: ReplyMeta;
  #sequence = 0;

  constructor(call: WireCall, meta: ReplyMeta) {
    this.#call = call;
    this.#meta = meta;
  }

  #event(body: Record<string, unknown>): SseEvent {
    return jsonEvent(String(body.type), { ...body, sequence_number: this.#sequence++ });
  }

  #messageItem(text: string, done: boolean): Item {
    return {
      id: `msg_${this.#meta.id}`,
      type: "message",
      status: done ? "completed" : "in_progress",
      role: "assistant",
      content: done ? [{ type: "output_text", text, annotations: [] }] : [],
    };
  }

  #callItem(call: CompletedToolCall, index: number, done: boolean): Item {
    const status = done ? "completed" : "in_progress";
    if (this.#call.customTools.has(call.name)) {
      return {
        id: `ctc_${this.#meta.id}_${index}`,
        type: "custom_tool_call",
        status,
        call_id: call.id,
        name: call.name,
        input: done ? customInput(call) : "",
      };
    }
    return {
      id: `fc_${this.#meta.id}_${index}`,
      type: "function_call",
      status,
      call_id: call.id,
      name: call.name,
      arguments: done ? call.arguments : "",
    };
  }

  #output(completion: Completion): Item[] {
    const items: Item[] = [];
    if (completion.text !== "") items.push(this.#messageItem(completion.text, true));
    completion.toolCalls.forEach((call, index) => {
      items.push(this.#callItem(call, index, true));
    });
    return items;
  }

  #response(status: string, completion: Completion | null, error: unknown = null): Item {
    const incomplete = completion?.finishReason === "length";
    const { promptTokens = 0, completionTokens = 0, cachedTokens = 0 } = completion?.usage ?? {};
    return {
      id: `resp_${this.#meta.id}`,
      object: "response",
      created_at: this.#meta.created,
      status,
      error,
      incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
      model: this.#call.requestedModel,
      output: completion === null ? [] : this.#output(completion),
      parallel_tool_calls: true,
      tool_choice: "auto",
      tools: [],
      usage:
        completion === null
          ? null
          : {
              input_tokens: promptTokens,
              input_tokens_details: { cached_tokens: cachedTokens },
              output_tokens: completionTokens,
              output_tokens_details: { reasoning_tokens: 0 },
              total_tokens: promptTokens + completionTokens,
            },
    };
  }

  open(): readonly SseEvent[] {
    const response = this.#response("in_progress", null);
    return [
      this.#event({ type: "response.created", response }),
      this.#event({ type: "response.in_progress", response }),
    ];
  }

  finish(completion: Completion): readonly SseEvent[] {
    const events: SseEvent[] = [];
    let index = 0;
    if (completion.text !== "") {
      const at = { item_id: `msg_${this.#meta.id}`, output_index: index, content_index: 0 };
      const part = { type: "output_text", text: completion.text, annotations: [] };
      events.push(
        this.#event({
          type: "response.output_item.added",
          output_index: index,
          item: this.#messageItem("", false),
        }),
        this.#event({ type: "response.content_part.added", ...at, part: { ...part, text: "" } }),
        this.#event({ type: "response.output_text.delta", ...at, delta: completion.text }),
        this.#event({ type: "response.output_text.done", ...at, text: completion.text }),
        this.#event({ type: "response.content_part.done", ...at, part }),
        this.#event({
          type: "response.output_item.done",
          output_index: index,
          item: this.#messageItem(completion.text, true),
        }),
      );
      index += 1;
    }
    completion.toolCalls.forEach((call, position) => {
      const item = this.#callItem(call, position, true);
      const outputIndex = index + position;
      events.push(
        this.#event({
          type: "response.output_item.added",
          output_index: outputIndex,
          item: this.#callItem(call, position, false),
        }),
      );
      if (item.type === "function_call") {
        events.push(
          this.#event({
            type: "response.function_call_arguments.done",
            item_id: item.id,
            output_index: outputIndex,
            arguments: call.arguments,
          }),
        );
      }
      events.push(this.#event({ type: "response.output_item.done", output_index: outputIndex, item }));
    });
    const status = completion.finishReason === "length" ? "incomplete" : "completed";
    events.push(this.#event({ type: `response.${status}`, response: this.#response(status, completion) }));
    return events;
  }

  fail(kind: ErrorKind, message: string): readonly SseEvent[] {
    const response = this.#response("failed", null, { code: kind, message });
    return [this.#event({ type: "response.failed", response })];
  }

  body(completion: Completion): unknown {
    return this.#response(completion.finishReason === "length" ? "incomplete" : "completed", completion);
  }
}

/** The OpenAI Responses API, as Codex speaks it. */
export const responsesProtocol: GatewayProtocol = {
  name: "responses",
  parse: parseResponsesRequest,
  renderer: (call, meta) => new ResponsesRenderer(call, meta),
  errorBody: chatErrorBody,
  heartbeat: ": keep-alive\n\n",
};
