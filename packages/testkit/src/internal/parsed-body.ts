import { parseWith, type WireCall } from "@longshot/wire";
import type { z } from "zod";
import type { FakeMessage, FakeTool } from "../fake-request.js";

/** The protocol-specific part of a request, normalized. */
export interface ParsedBody {
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly FakeMessage[];
  readonly tools: readonly FakeTool[];
  readonly maxOutputTokens: number | undefined;
}

/**
 * A protocol's body parser for the fake server: the shared wire parser, after a check of the
 * fields the real API requires and the model gateway forgives (`model`, and Anthropic's
 * `max_tokens`), so a client that leaves them out gets HTTP 400 here as it would there. Both
 * throw `WireRequestError`.
 */
export function parsedBody(
  required: z.ZodType,
  parse: (body: unknown) => WireCall,
): (body: unknown) => ParsedBody {
  return (body) => {
    parseWith(required, body);
    const call = parse(body);
    return {
      model: call.requestedModel,
      stream: call.stream,
      messages: call.request.messages,
      tools: call.request.tools ?? [],
      maxOutputTokens: call.request.maxTokens,
    };
  };
}
