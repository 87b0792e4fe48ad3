import {
  parseAnthropicRequest,
  parseChatRequest,
  parseResponsesRequest,
  type SseEvent,
} from "@longshot/wire";
import { z } from "zod";
import type { FakeProtocol, FakeRequest } from "../fake-request.js";
import { type ParsedBody, parsedBody } from "./parsed-body.js";
import type { PreparedReply } from "./prepare-reply.js";
import { renderAnthropicBody, renderAnthropicStream } from "./render-anthropic.js";
import { renderChatBody, renderChatStream } from "./render-chat.js";
import { renderResponsesBody, renderResponsesStream } from "./render-responses.js";

/** Everything the server needs to speak one protocol. */
export interface ProtocolKit {
  readonly protocol: FakeProtocol;
  readonly parse: (body: unknown) => ParsedBody;
  readonly renderBody: (request: FakeRequest, reply: PreparedReply) => unknown;
  readonly renderStream: (request: FakeRequest, reply: PreparedReply) => SseEvent[];
  readonly toolIdPrefix: string;
}

const modelNamed = z.object({ model: z.string() });

/** The model endpoints, by path. */
export const protocolsByPath: ReadonlyMap<string, ProtocolKit> = new Map<string, ProtocolKit>([
  [
    "/v1/chat/completions",
    {
      protocol: "chat",
      parse: parsedBody(modelNamed, parseChatRequest),
      renderBody: renderChatBody,
      renderStream: renderChatStream,
      toolIdPrefix: "call_",
    },
  ],
  [
    "/v1/responses",
    {
      protocol: "responses",
      parse: parsedBody(modelNamed, parseResponsesRequest),
      renderBody: renderResponsesBody,
      renderStream: renderResponsesStream,
      toolIdPrefix: "call_",
    },
  ],
  [
    "/v1/messages",
    {
      protocol: "anthropic",
      parse: parsedBody(
        modelNamed.extend({ max_tokens: z.number().int().positive() }),
        parseAnthropicRequest,
      ),
      renderBody: renderAnthropicBody,
      renderStream: renderAnthropicStream,
      toolIdPrefix: "toolu_",
    },
  ],
]);
