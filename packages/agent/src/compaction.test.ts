import type { ChatMessage } from "@longshot/llm";
import { describe, expect, it } from "vitest";
import { applyCompaction, digestTurns, estimateTokens, planCompaction } from "./compaction.js";

function conversation(turns: number, resultSize: number): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: "system", content: "You are a worker." },
    { role: "user", content: "Task: do it." },
  ];
  for (let turn = 0; turn < turns; turn++) {
    messages.push({
      role: "assistant",
      content: "",
      toolCalls: [
        { id: `call-${turn}`, name: "read_file", arguments: JSON.stringify({ path: `f${turn}.ts` }) },
      ],
    });
    messages.push({
      role: "tool",
      toolCallId: `call-${turn}`,
      content: `content of f${turn}\n${"x".repeat(resultSize)}`,
    });
  }
  return messages;
}

describe("compaction", () => {
  it("estimates about four characters a token", () => {
    expect(estimateTokens([{ role: "user", content: "x".repeat(400) }])).toBe(104);
  });

  it("leaves a conversation that fits alone", () => {
    expect(planCompaction(conversation(3, 100), { contextTokens: 10_000 })).toBeNull();
  });

  it("folds older turns, keeps the task and recent turns, and never orphans a tool result", () => {
    const messages = conversation(20, 2000);
    const plan = planCompaction(messages, { contextTokens: 8000 });
    expect(plan).not.toBeNull();
    if (plan === null) return;
    expect(plan.head).toEqual(messages.slice(0, 2));
    expect(plan.recent[0]?.role).toBe("assistant");
    expect(plan.head.length + plan.older.length + plan.recent.length).toBe(messages.length);
    const compacted = applyCompaction(plan, "did things");
    expect(estimateTokens(compacted)).toBeLessThan(8000 * 0.75);
    expect(compacted[2]?.content).toContain("did things");
  });

  it("writes a deterministic digest naming each tool call", () => {
    const digest = digestTurns(conversation(2, 10).slice(2));
    expect(digest).toContain('[tool call read_file] {"path":"f0.ts"}');
    expect(digest).toContain("[tool result] content of f1");
  });
});
