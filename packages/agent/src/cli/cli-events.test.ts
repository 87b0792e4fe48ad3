import { describe, expect, it } from "vitest";
import { createClaudeCodeParser } from "./claude-code-events.js";
import type { CliEvent, CliEventParser } from "./cli-event.js";
import { createCodexParser } from "./codex-events.js";
import { createOpenCodeParser } from "./opencode-events.js";
import { createPiParser } from "./pi-events.js";

function parseAll(parser: CliEventParser, lines: readonly unknown[]): CliEvent[] {
  return lines.flatMap((line) => parser.parseLine(typeof line === "string" ? line : JSON.stringify(line)));
}

describe("codex exec --json", () => {
  it("maps messages, commands, file changes, usage and failures", () => {
    const events = parseAll(createCodexParser(), [
      { type: "thread.started", thread_id: "t1" },
      { type: "turn.started" },
      {
        type: "item.started",
        item: { id: "item_0", type: "command_execution", command: "ls", status: "in_progress" },
      },
      {
        type: "item.completed",
        item: {
          id: "item_0",
          type: "command_execution",
          command: "ls",
          aggregated_output: "a.txt\n",
          exit_code: 0,
          status: "completed",
        },
      },
      {
        type: "item.completed",
        item: {
          id: "item_1",
          type: "file_change",
          changes: [{ path: "a.txt", kind: "update" }],
          status: "completed",
        },
      },
      { type: "item.completed", item: { id: "item_2", type: "agent_message", text: "Done." } },
      { type: "turn.completed", usage: { input_tokens: 120, cached_input_tokens: 20, output_tokens: 30 } },
      { type: "turn.failed", error: { message: "stream disconnected" } },
      "not json at all",
      { type: "something.new", field: 1 },
    ]);
    expect(events).toEqual([
      { kind: "tool-start", callId: "item_0", tool: "shell", input: "ls" },
      { kind: "tool-end", callId: "item_0", tool: "shell", ok: true, output: "a.txt\n" },
      {
        kind: "tool-start",
        callId: "item_1",
        tool: "apply_patch",
        input: '[{"path":"a.txt","kind":"update"}]',
      },
      { kind: "tool-end", callId: "item_1", tool: "apply_patch", ok: true, output: "update a.txt" },
      { kind: "text", text: "Done." },
      { kind: "usage", usage: { promptTokens: 120, completionTokens: 30, cachedTokens: 20 } },
      { kind: "error", message: "stream disconnected" },
    ]);
  });

  it("reports a failing command as a failed tool call", () => {
    const [, end] = parseAll(createCodexParser(), [
      {
        type: "item.completed",
        item: {
          id: "i",
          type: "command_execution",
          command: "false",
          aggregated_output: "",
          exit_code: 1,
          status: "failed",
        },
      },
    ]);
    expect(end).toMatchObject({ kind: "tool-end", ok: false });
  });
});

describe("pi --mode json", () => {
  it("maps assistant messages, tool executions and usage", () => {
    const events = parseAll(createPiParser(), [
      { type: "session", version: 3, id: "s", cwd: "/w" },
      { type: "message_end", message: { role: "user", content: "do it" } },
      {
        type: "message_end",
        message: {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm" },
            { type: "text", text: "Editing." },
            { type: "toolCall", id: "c1", name: "edit", arguments: { path: "a" } },
          ],
          usage: { input: 80, output: 12, cacheRead: 20, cacheWrite: 0, totalTokens: 112 },
          stopReason: "toolUse",
        },
      },
      { type: "tool_execution_start", toolCallId: "c1", toolName: "edit", args: { path: "a" } },
      {
        type: "tool_execution_end",
        toolCallId: "c1",
        toolName: "edit",
        result: { content: [{ type: "text", text: "Could not find the text" }], details: {} },
        isError: true,
      },
      {
        type: "message_end",
        message: { role: "assistant", content: [], stopReason: "error", errorMessage: "401 unauthorized" },
      },
    ]);
    expect(events).toEqual([
      { kind: "text", text: "Editing." },
      { kind: "usage", usage: { promptTokens: 100, completionTokens: 12, cachedTokens: 20 } },
      { kind: "tool-start", callId: "c1", tool: "edit", input: '{"path":"a"}' },
      { kind: "tool-end", callId: "c1", tool: "edit", ok: false, output: "Could not find the text" },
      { kind: "error", message: "401 unauthorized" },
    ]);
  });
});

describe("opencode run --format json", () => {
  it("maps text, finished tool parts, step usage and errors", () => {
    const events = parseAll(createOpenCodeParser(), [
      { type: "step_start", sessionID: "ses_1", part: { type: "step-start" } },
      {
        type: "tool_use",
        sessionID: "ses_1",
        part: {
          type: "tool",
          callID: "call_1",
          tool: "bash",
          state: { status: "completed", input: { command: "ls" }, output: "a\n" },
        },
      },
      { type: "text", sessionID: "ses_1", part: { type: "text", text: "All done." } },
      {
        type: "step_finish",
        part: {
          type: "step-finish",
          reason: "stop",
          tokens: { input: 50, output: 10, reasoning: 5, cache: { read: 7, write: 3 } },
          cost: 0,
        },
      },
      { type: "error", error: { name: "APIError", data: { message: "model not found" } } },
    ]);
    expect(events).toEqual([
      { kind: "tool-start", callId: "call_1", tool: "bash", input: '{"command":"ls"}' },
      { kind: "tool-end", callId: "call_1", tool: "bash", ok: true, output: "a\n" },
      { kind: "text", text: "All done." },
      { kind: "usage", usage: { promptTokens: 60, completionTokens: 15, cachedTokens: 7 } },
      { kind: "error", message: "model not found" },
    ]);
  });
});

describe("claude -p --output-format stream-json", () => {
  it("maps blocks, tool results, usage once per message, and error results", () => {
    const usage = {
      input_tokens: 40,
      output_tokens: 9,
      cache_read_input_tokens: 10,
      cache_creation_input_tokens: 0,
    };
    const events = parseAll(createClaudeCodeParser(), [
      { type: "system", subtype: "init", session_id: "s", tools: ["Bash"] },
      { type: "assistant", message: { id: "msg_1", content: [{ type: "text", text: "Looking." }], usage } },
      {
        type: "assistant",
        message: {
          id: "msg_1",
          content: [{ type: "tool_use", id: "tu_1", name: "Bash", input: { command: "ls" } }],
          usage,
        },
      },
      {
        type: "user",
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "tu_1", content: "a.txt", is_error: false }],
        },
      },
      { type: "result", subtype: "success", is_error: false, result: "Done" },
      { type: "result", subtype: "error_max_turns", is_error: true },
    ]);
    expect(events).toEqual([
      { kind: "text", text: "Looking." },
      { kind: "usage", usage: { promptTokens: 50, completionTokens: 9, cachedTokens: 10 } },
      { kind: "tool-start", callId: "tu_1", tool: "Bash", input: '{"command":"ls"}' },
      { kind: "tool-end", callId: "tu_1", tool: "Bash", ok: true, output: "a.txt" },
      { kind: "error", message: "error_max_turns" },
    ]);
  });
});
