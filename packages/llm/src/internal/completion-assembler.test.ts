import { describe, expect, it } from "vitest";
import { CompletionAssembler } from "./completion-assembler.js";

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe("CompletionAssembler", () => {
  it("joins tool-call argument pieces by index, with the id and name from the first piece", () => {
    const assembler = new CompletionAssembler();
    const pieces = [
      chunk({ role: "assistant", content: "" }),
      chunk({
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "read", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: "call_b", type: "function", function: { name: "write", arguments: '{"p' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'th":"a.ts"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'ath":"b.ts","text":"x"}' } }] }),
      chunk({}, "tool_calls"),
      {
        choices: [],
        usage: { prompt_tokens: 12, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 4 } },
      },
    ];
    const deltas = pieces.flatMap((piece) => assembler.push(piece));
    expect(deltas.filter((delta) => delta.type === "tool-call-delta")).toHaveLength(4);
    expect(assembler.finished).toBe(true);
    const reply = assembler.reply();
    expect(reply.toolCalls).toEqual([
      { id: "call_a", name: "read", arguments: '{"path":"a.ts"}', input: { path: "a.ts" }, inputError: null },
      {
        id: "call_b",
        name: "write",
        arguments: '{"path":"b.ts","text":"x"}',
        input: { path: "b.ts", text: "x" },
        inputError: null,
      },
    ]);
    expect(reply).toMatchObject({
      text: "",
      finishReason: "tool_calls",
      usage: { promptTokens: 12, completionTokens: 7, cachedTokens: 4 },
    });
  });

  it("ignores chunks of the wrong shape instead of failing", () => {
    const assembler = new CompletionAssembler();
    for (const piece of [
      null,
      "text",
      { choices: "no" },
      { choices: [{ delta: { content: 5 } }] },
      chunk({ content: "ok" }, "stop"),
    ]) {
      assembler.push(piece);
    }
    expect(assembler.reply()).toMatchObject({ text: "ok", finishReason: "stop", usage: null });
  });
});
