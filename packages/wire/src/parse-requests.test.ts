import { describe, expect, it } from "vitest";
import { parseAnthropicRequest } from "./parse-anthropic-request.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { parseResponsesRequest } from "./parse-responses-request.js";
import { formatSse, jsonEvent } from "./sse.js";
import { WireRequestError } from "./wire-request-error.js";

describe("chat completions", () => {
  it("keeps system, user, assistant and tool turns, names calls without an id, and drops legacy function turns", () => {
    const call = parseChatRequest({
      model: "gpt-x",
      messages: [
        { role: "developer", content: [{ type: "text", text: "Be brief." }] },
        { role: "user", content: "List files." },
        { role: "assistant", content: null, tool_calls: [{ function: { name: "ls", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_0", content: "a.txt" },
        { role: "function", content: "ignored" },
      ],
      max_tokens: 10,
      max_completion_tokens: 20,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(call.request.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "List files." },
      { role: "assistant", content: "", toolCalls: [{ id: "call_0", name: "ls", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_0", content: "a.txt" },
    ]);
    expect(call.request.maxTokens).toBe(20);
    expect(call).toMatchObject({ stream: true, includeUsage: true, requestedModel: "gpt-x" });
  });

  it("offers a tool choice and a JSON schema only as the client asked", () => {
    const call = parseChatRequest({
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "edit" } }],
      tool_choice: { type: "function", function: { name: "edit" } },
      response_format: { type: "json_schema", json_schema: { schema: { type: "object" } } },
    });
    expect(call.requestedModel).toBe("");
    expect(call.request.tools).toEqual([
      { name: "edit", description: "", parameters: { type: "object", properties: {} } },
    ]);
    expect(call.request.toolChoice).toEqual({ name: "edit" });
    expect(call.request.responseFormat).toEqual({ name: "result", schema: { type: "object" } });
    // A choice among no tools, and null limits, are not passed on (an endpoint would refuse them).
    const bare = parseChatRequest({
      messages: [{ role: "user", content: "hi" }],
      tool_choice: "required",
      temperature: null,
      max_tokens: null,
      response_format: { type: "text" },
    });
    expect(bare.request).toEqual({ messages: [{ role: "user", content: "hi" }] });
  });
});

describe("Responses API", () => {
  it("turns Codex's history into chat turns: shell and custom calls become function calls, reasoning is dropped", () => {
    const call = parseResponsesRequest({
      model: "codex",
      instructions: "You are Codex.",
      input: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "Fix it." }] },
        { type: "reasoning", summary: [] },
        { type: "local_shell_call", call_id: "c1", action: { command: ["ls"] } },
        { type: "local_shell_call_output", call_id: "c1", output: "a.ts" },
        { type: "custom_tool_call", call_id: "c2", name: "apply_patch", input: "*** Begin Patch" },
        { type: "custom_tool_call_output", call_id: "c2", output: "Done" },
      ],
    });
    expect(call.request.messages).toEqual([
      { role: "system", content: "You are Codex." },
      { role: "user", content: "Fix it." },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c1", name: "local_shell", arguments: '{"command":["ls"]}' }],
      },
      { role: "tool", toolCallId: "c1", content: "a.ts" },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c2", name: "apply_patch", arguments: '{"input":"*** Begin Patch"}' }],
      },
      { role: "tool", toolCallId: "c2", content: "Done" },
    ]);
    expect(call.includeUsage).toBe(true);
  });

  it("offers functions and custom tools (as one `input` string) but not hosted tools", () => {
    const call = parseResponsesRequest({
      model: "codex",
      input: "hi",
      tools: [
        { type: "web_search" },
        { type: "custom", name: "apply_patch", description: "Patch.", format: { definition: "start: x" } },
        { type: "function", name: "shell", parameters: { type: "object" } },
      ],
    });
    expect(call.request.tools?.map((tool) => tool.name)).toEqual(["apply_patch", "shell"]);
    expect(call.request.tools?.[0]?.description).toContain("start: x");
    expect(call.request.tools?.[0]?.parameters).toMatchObject({ required: ["input"] });
    expect([...call.customTools]).toEqual(["apply_patch"]);
  });
});

describe("Anthropic Messages", () => {
  it("puts tool results before the user's text, marks failed results, and names images it cannot pass on", () => {
    const call = parseAnthropicRequest({
      model: "claude",
      max_tokens: 100,
      system: [{ type: "text", text: "Be careful." }],
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "read", input: { path: "a" } }] },
        {
          role: "user",
          content: [
            { type: "image", source: {} },
            { type: "tool_result", tool_use_id: "t1", content: "no such file", is_error: true },
          ],
        },
      ],
      tools: [{ name: "read" }, { type: "web_search_20250305", name: "web_search" }],
      tool_choice: { type: "any" },
    });
    expect(call.request.messages).toEqual([
      { role: "system", content: "Be careful." },
      { role: "assistant", content: "", toolCalls: [{ id: "t1", name: "read", arguments: '{"path":"a"}' }] },
      { role: "tool", toolCallId: "t1", content: "Error: no such file" },
      { role: "user", content: "[image omitted]" },
    ]);
    expect(call.request.tools?.map((tool) => tool.name)).toEqual(["read"]);
    expect(call.request.toolChoice).toBe("required");
    expect(call.request.maxTokens).toBe(100);
  });
});

describe("invalid bodies", () => {
  it("throws a WireRequestError that names the field that is wrong", () => {
    const parsers = [parseChatRequest, parseResponsesRequest, parseAnthropicRequest];
    for (const parse of parsers) {
      expect(() => parse({ model: "m", messages: [] })).toThrow(WireRequestError);
    }
    expect(() => parseChatRequest({ messages: "hi" })).toThrow(/messages/);
    expect(() => parseResponsesRequest({ input: 3 })).toThrow(/input/);
  });
});

describe("SSE framing", () => {
  it("writes the event line only when the event has a name, and ends each event with a blank line", () => {
    expect(formatSse(jsonEvent(undefined, { a: 1 }))).toBe('data: {"a":1}\n\n');
    expect(formatSse(jsonEvent("message_stop", {}))).toBe("event: message_stop\ndata: {}\n\n");
  });
});
