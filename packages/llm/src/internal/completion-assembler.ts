import type { Usage } from "@longshot/core";
import type { CompletedToolCall, FinishReason, ModelDelta } from "../model-result.js";

interface PartialToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The assembled reply of one attempt. */
export interface AssembledReply {
  readonly text: string;
  readonly toolCalls: readonly CompletedToolCall[];
  readonly finishReason: FinishReason;
  /** `null` when the server reported no usage. */
  readonly usage: Usage | null;
}

const noDeltas: readonly ModelDelta[] = [];

/**
 * Turns `chat.completion.chunk`s into deltas and, at the end, one reply: text joined, tool calls
 * gathered by index with their argument pieces concatenated and parsed.
 */
export class CompletionAssembler {
  readonly #text: string[] = [];
  readonly #calls: PartialToolCall[] = [];
  #finish: FinishReason | null = null;
  #usage: Usage | null = null;

  /** Whether the server said why it stopped. A stream that ends without it was cut short. */
  get finished(): boolean {
    return this.#finish !== null;
  }

  get usage(): Usage | null {
    return this.#usage;
  }

  /**
   * Folds in one parsed `chat.completion.chunk` and returns the deltas it carries. The chunk is
   * foreign data: every field is checked before use, and anything unexpected is ignored.
   */
  push(chunk: unknown): readonly ModelDelta[] {
    if (!isRecord(chunk)) return noDeltas;
    const deltas: ModelDelta[] = [];
    const choice = Array.isArray(chunk.choices) ? firstChoice(chunk.choices) : undefined;
    if (choice !== undefined) {
      const delta = isRecord(choice.delta) ? choice.delta : undefined;
      const content = delta?.content;
      if (typeof content === "string" && content !== "") {
        this.#text.push(content);
        deltas.push({ type: "text", text: content });
      }
      if (Array.isArray(delta?.tool_calls)) {
        for (const piece of delta.tool_calls) if (isRecord(piece)) this.#toolPiece(piece, deltas);
      }
      if (typeof choice.finish_reason === "string") this.#finish = finishOf(choice.finish_reason);
    }
    if (isRecord(chunk.usage)) {
      const usage = chunk.usage;
      const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
      this.#usage = {
        promptTokens: count(usage.prompt_tokens),
        completionTokens: count(usage.completion_tokens),
        cachedTokens: count(details?.cached_tokens),
      };
      deltas.push({ type: "usage", usage: this.#usage });
    }
    return deltas;
  }

  /** The reply so far (complete once `finished`). */
  reply(): AssembledReply {
    return {
      text: this.#text.join(""),
      toolCalls: this.#calls.filter((call) => call !== undefined).map(completeCall),
      finishReason: this.#finish ?? "other",
      usage: this.#usage,
    };
  }

  #toolPiece(piece: Record<string, unknown>, deltas: ModelDelta[]): void {
    const index = typeof piece.index === "number" ? piece.index : this.#calls.length;
    const fn = isRecord(piece.function) ? piece.function : undefined;
    const name = typeof fn?.name === "string" ? fn.name : "";
    let call = this.#calls[index];
    if (call === undefined) {
      call = {
        id: typeof piece.id === "string" && piece.id !== "" ? piece.id : `call_${index}`,
        name,
        arguments: "",
      };
      this.#calls[index] = call;
      deltas.push({ type: "tool-call-start", index, id: call.id, name: call.name });
    } else if (name !== "" && name !== call.name) {
      call.name += name;
    }
    const argumentsPiece = fn?.arguments;
    if (typeof argumentsPiece === "string" && argumentsPiece !== "") {
      call.arguments += argumentsPiece;
      deltas.push({ type: "tool-call-delta", index, arguments: argumentsPiece });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstChoice(choices: unknown[]): Record<string, unknown> | undefined {
  for (const choice of choices)
    if (isRecord(choice) && (choice.index === 0 || choice.index === undefined)) return choice;
  return undefined;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function completeCall(call: PartialToolCall): CompletedToolCall {
  const text = call.arguments.trim() === "" ? "{}" : call.arguments;
  try {
    return {
      id: call.id,
      name: call.name,
      arguments: call.arguments,
      input: JSON.parse(text) as unknown,
      inputError: null,
    };
  } catch (error) {
    return {
      id: call.id,
      name: call.name,
      arguments: call.arguments,
      input: undefined,
      inputError: `The arguments of ${call.name} are not valid JSON: ${(error as Error).message}`,
    };
  }
}

function finishOf(reason: string): FinishReason {
  switch (reason) {
    case "stop":
    case "tool_calls":
    case "length":
    case "content_filter":
      return reason;
    case "function_call":
      return "tool_calls";
    default:
      return "other";
  }
}
