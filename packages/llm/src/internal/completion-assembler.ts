import type { Usage } from "@longshot/core";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
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

  /** Folds in one chunk and returns the deltas it carries. */
  push(chunk: ChatCompletionChunk): readonly ModelDelta[] {
    let deltas: ModelDelta[] | undefined;
    const add = (delta: ModelDelta): void => {
      deltas ??= [];
      deltas.push(delta);
    };
    const choice = chunk.choices?.find((candidate) => candidate.index === 0) ?? chunk.choices?.[0];
    if (choice !== undefined) {
      const content = choice.delta?.content;
      if (typeof content === "string" && content !== "") {
        this.#text.push(content);
        add({ type: "text", text: content });
      }
      for (const piece of choice.delta?.tool_calls ?? []) this.#toolPiece(piece, add);
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        this.#finish = finishOf(choice.finish_reason);
      }
    }
    if (chunk.usage !== null && chunk.usage !== undefined) {
      this.#usage = {
        promptTokens: chunk.usage.prompt_tokens ?? 0,
        completionTokens: chunk.usage.completion_tokens ?? 0,
        cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
      };
      add({ type: "usage", usage: this.#usage });
    }
    return deltas ?? noDeltas;
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

  #toolPiece(
    piece: NonNullable<ChatCompletionChunk.Choice.Delta["tool_calls"]>[number],
    add: (delta: ModelDelta) => void,
  ): void {
    const index = piece.index ?? this.#calls.length;
    let call = this.#calls[index];
    if (call === undefined) {
      call = { id: piece.id ?? `call_${index}`, name: piece.function?.name ?? "", arguments: "" };
      this.#calls[index] = call;
      add({ type: "tool-call-start", index, id: call.id, name: call.name });
    } else if (piece.function?.name) {
      call.name += piece.function.name;
    }
    const argumentsPiece = piece.function?.arguments;
    if (typeof argumentsPiece === "string" && argumentsPiece !== "") {
      call.arguments += argumentsPiece;
      add({ type: "tool-call-delta", index, arguments: argumentsPiece });
    }
  }
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
