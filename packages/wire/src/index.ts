export type {
  AssistantMessage,
  ChatMessage,
  ConversationRequest,
  ResponseFormat,
  SystemMessage,
  ToolCall,
  ToolChoice,
  ToolMessage,
  ToolSpec,
  UserMessage,
} from "./conversation.js";
export { anthropicBlockShape, parseAnthropicRequest } from "./parse-anthropic-request.js";
export { parseChatRequest } from "./parse-chat-request.js";
export { parseResponsesRequest } from "./parse-responses-request.js";
export { formatSse, jsonEvent, type SseEvent } from "./sse.js";
export type { WireCall } from "./wire-call.js";
export { parseWith, WireRequestError } from "./wire-request-error.js";
