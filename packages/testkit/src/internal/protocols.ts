import type { FakeProtocol, FakeRequest } from "../fake-request.js";
import { parseAnthropicRequest } from "./parse-anthropic-request.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { parseResponsesRequest } from "./parse-responses-request.js";
import type { ParsedBody } from "./parsed-body.js";
import type { PreparedReply } from "./prepare-reply.js";
import { renderAnthropicBody, renderAnthropicStream } from "./render-anthropic.js";
import { renderChatBody, renderChatStream } from "./render-chat.js";
import { renderResponsesBody, renderResponsesStream } from "./render-responses.js";
import type { SseEvent } from "./sse.js";

/** Everything the server needs to speak one protocol. */
export interface ProtocolKit {
  readonly protocol: FakeProtocol;
  readonly parse: (body: unknown) => ParsedBody;
  readonly renderBody: (request: FakeRequest, reply: PreparedReply) => unknown;
  readonly renderStream: (request: FakeRequest, reply: PreparedReply) => SseEvent[];
  readonly toolIdPrefix: string;
}

/** The model endpoints, by path. */
export const protocolsByPath: ReadonlyMap<string, ProtocolKit> = new Map<string, ProtocolKit>([
  [
    "/v1/chat/completions",
    {
      protocol: "chat",
      parse: parseChatRequest,
      renderBody: renderChatBody,
      renderStream: renderChatStream,
      toolIdPrefix: "call_",
    },
  ],
  [
    "/v1/responses",
    {
      protocol: "responses",
      parse: parseResponsesRequest,
      renderBody: renderResponsesBody,
      renderStream: renderResponsesStream,
      toolIdPrefix: "call_",
    },
  ],
  [
    "/v1/messages",
    {
      protocol: "anthropic",
      parse: parseAnthropicRequest,
      renderBody: renderAnthropicBody,
      renderStream: renderAnthropicStream,
      toolIdPrefix: "toolu_",
    },
  ],
]);
