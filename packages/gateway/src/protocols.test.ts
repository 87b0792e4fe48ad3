import { ScriptedPolicy } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  createGatewayFixture,
  type GatewayFixture,
  post,
  sseEvents,
} from "./__fixtures__/gateway-fixture.js";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(script: ConstructorParameters<typeof ScriptedPolicy>[0]) {
  fixture = await createGatewayFixture({ policy: new ScriptedPolicy(script) });
  const session = fixture.gateway.open(fixture.grant);
  return { fixture, session };
}

describe("chat completions (Pi, OpenCode)", () => {
  it("forwards history and tools, and streams a tool call back with usage", async () => {
    const { fixture, session } = await start([
      {
        toolCalls: [{ name: "bash", arguments: { command: "ls" }, id: "call_9" }],
        usage: { inputTokens: 50, outputTokens: 5 },
      },
    ]);
    const reply = await post(
      fixture.gateway,
      "/v1/chat/completions",
      {
        model: "longshot/fake",
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: [{ type: "text", text: "list files" }] },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "bash", arguments: '{"command":"pwd"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "/work" },
        ],
        tools: [
          {
            type: "function",
            function: { name: "bash", description: "run", parameters: { type: "object" } },
          },
        ],
      },
      { authorization: `Bearer ${session.token}` },
    );
    expect(reply.contentType).toContain("text/event-stream");
    expect(reply.text.trim().endsWith("data: [DONE]")).toBe(true);
    const upstream = fixture.server.requests[0]!;
    expect(upstream.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(upstream.messages[2]?.toolCalls).toEqual([
      { id: "call_1", name: "bash", arguments: '{"command":"pwd"}' },
    ]);
    expect(upstream.tools.map((tool) => tool.name)).toEqual(["bash"]);
    const chunks = sseEvents(reply.text).map((event) => event.data);
    expect(chunks).toContainEqual(
      expect.objectContaining({
        model: "longshot/fake",
        choices: [
          expect.objectContaining({
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: "call_9",
                  type: "function",
                  function: { name: "bash", arguments: '{"command":"ls"}' },
                },
              ],
            },
          }),
        ],
      }),
    );
    expect(chunks).toContainEqual(
      expect.objectContaining({ choices: [expect.objectContaining({ finish_reason: "tool_calls" })] }),
    );
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 },
    });
  });
});

describe("Responses API (Codex)", () => {
  const codexTools = [
    {
      type: "function",
      name: "exec_command",
      description: "run a command",
      parameters: { type: "object", properties: { cmd: { type: "string" } } },
    },
    {
      type: "custom",
      name: "apply_patch",
      description: "patch files",
      format: { type: "grammar", syntax: "lark", definition: "start: patch" },
    },
    { type: "web_search" },
    { type: "namespace", name: "multi_agent_v1", tools: [] },
  ];

  it("turns input items into chat history and custom tools into functions taking `input`", async () => {
    const { fixture, session } = await start([{ text: "done" }]);
    await post(
      fixture.gateway,
      "/v1/responses",
      {
        model: "gpt-x",
        instructions: "You are Codex.",
        stream: true,
        tools: codexTools,
        input: [
          { type: "message", role: "developer", content: [{ type: "input_text", text: "rules" }] },
          { type: "message", role: "user", content: [{ type: "input_text", text: "fix it" }] },
          { type: "reasoning", summary: [] },
          { type: "function_call", call_id: "c1", name: "exec_command", arguments: '{"cmd":"ls"}' },
          { type: "function_call_output", call_id: "c1", output: "a.js" },
          { type: "message", role: "assistant", content: [{ type: "output_text", text: "patching" }] },
          { type: "custom_tool_call", call_id: "c2", name: "apply_patch", input: "*** Begin Patch" },
          { type: "custom_tool_call_output", call_id: "c2", output: "Success" },
        ],
      },
      { authorization: `Bearer ${session.token}` },
    );
    const upstream = fixture.server.requests[0]!;
    expect(upstream.protocol).toBe("chat");
    expect(upstream.messages.map((message) => [message.role, message.content])).toEqual([
      ["system", "You are Codex."],
      ["system", "rules"],
      ["user", "fix it"],
      ["assistant", ""],
      ["tool", "a.js"],
      ["assistant", "patching"],
      ["tool", "Success"],
    ]);
    expect(upstream.messages[5]?.toolCalls).toEqual([
      { id: "c2", name: "apply_patch", arguments: JSON.stringify({ input: "*** Begin Patch" }) },
    ]);
    expect(upstream.tools.map((tool) => tool.name)).toEqual(["exec_command", "apply_patch"]);
    expect(upstream.tools[1]?.parameters).toMatchObject({ required: ["input"] });
    expect(upstream.tools[1]?.description).toContain("start: patch");
  });

  it("streams function and custom tool calls back as Responses items, ending with usage", async () => {
    const { fixture, session } = await start([
      {
        text: "Patching now.",
        toolCalls: [
          { name: "apply_patch", arguments: { input: "*** Begin Patch\n*** End Patch" }, id: "call_p" },
          { name: "exec_command", arguments: { cmd: "npm test" }, id: "call_e" },
        ],
        usage: { inputTokens: 70, outputTokens: 7, cachedInputTokens: 20 },
      },
    ]);
    const reply = await post(
      fixture.gateway,
      "/v1/responses",
      { model: "gpt-x", stream: true, tools: codexTools, input: "go" },
      { authorization: `Bearer ${session.token}` },
    );
    const events = sseEvents(reply.text);
    expect(events.map((event) => event.event).slice(0, 2)).toEqual([
      "response.created",
      "response.in_progress",
    ]);
    expect(events.map((event) => event.data.sequence_number)).toEqual(events.map((_, index) => index));
    const done = events
      .filter((event) => event.event === "response.output_item.done")
      .map((event) => event.data.item);
    expect(done).toEqual([
      expect.objectContaining({
        type: "message",
        content: [expect.objectContaining({ text: "Patching now." })],
      }),
      expect.objectContaining({
        type: "custom_tool_call",
        call_id: "call_p",
        name: "apply_patch",
        input: "*** Begin Patch\n*** End Patch",
      }),
      expect.objectContaining({
        type: "function_call",
        call_id: "call_e",
        name: "exec_command",
        arguments: '{"cmd":"npm test"}',
      }),
    ]);
    expect(events.at(-1)).toMatchObject({
      event: "response.completed",
      data: {
        response: {
          status: "completed",
          usage: { input_tokens: 70, output_tokens: 7, input_tokens_details: { cached_tokens: 20 } },
        },
      },
    });
  });
});

describe("Anthropic Messages (Claude Code)", () => {
  const body = {
    model: "claude-sonnet",
    max_tokens: 1000,
    system: [{ type: "text", text: "You are Claude Code." }],
    tools: [
      {
        name: "Bash",
        description: "run",
        input_schema: { type: "object", properties: { command: { type: "string" } } },
      },
      { type: "web_search_20250305", name: "web_search" },
    ],
    messages: [
      { role: "user", content: "list" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hm" },
          { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "a.js" }] },
          { type: "text", text: "go on" },
        ],
      },
    ],
  };

  it("maps blocks to chat history and streams tool_use back with a tool_use stop", async () => {
    const { fixture, session } = await start([
      {
        toolCalls: [{ name: "Bash", arguments: { command: "cat a.js" }, id: "toolu_2" }],
        usage: { inputTokens: 40, outputTokens: 4 },
      },
    ]);
    const reply = await post(
      fixture.gateway,
      "/v1/messages?beta=true",
      { ...body, stream: true },
      { "x-api-key": session.token },
    );
    const upstream = fixture.server.requests[0]!;
    expect(upstream.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "user",
    ]);
    expect(upstream.messages[2]?.toolCalls).toEqual([
      { id: "toolu_1", name: "Bash", arguments: '{"command":"ls"}' },
    ]);
    expect(upstream.tools.map((tool) => tool.name)).toEqual(["Bash"]);
    const events = sseEvents(reply.text);
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[1]?.data).toMatchObject({
      content_block: { type: "tool_use", id: "toolu_2", name: "Bash" },
    });
    expect(JSON.parse(String((events[2]!.data.delta as { partial_json: string }).partial_json))).toEqual({
      command: "cat a.js",
    });
    expect(events[4]?.data).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { output_tokens: 4 },
    });
  });

  it("answers a call that is not streamed with one message body", async () => {
    const { fixture, session } = await start([
      { text: "Title: greet", usage: { inputTokens: 9, outputTokens: 3 } },
    ]);
    const reply = await post(fixture.gateway, "/v1/messages", body, { "x-api-key": session.token });
    expect(reply.json()).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet",
      content: [{ type: "text", text: "Title: greet" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 9, output_tokens: 3 },
    });
  });

  it("rejects a body that is not a Messages request with a 400 in Anthropic's shape", async () => {
    const { fixture, session } = await start([]);
    const reply = await post(
      fixture.gateway,
      "/v1/messages",
      { model: "m", messages: [] },
      { "x-api-key": session.token },
    );
    expect(reply.status).toBe(400);
    expect(reply.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(session.calls).toBe(0);
  });
});
