import type { ChatMessage } from "@longshot/llm";
import { describe, expect, it } from "vitest";
import {
  applyCompaction,
  digestTurns,
  estimateTokens,
  planCompaction,
  renderTranscript,
} from "./compaction.js";

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

  it("never folds the latest turn and its results, even when they alone fill the window", () => {
    const messages = conversation(4, 12_000);
    const reads = Array.from({ length: 50 }, (_, index) => ({
      id: `wide-${index}`,
      name: "read_file",
      arguments: JSON.stringify({ path: `w${index}.ts` }),
    }));
    messages.push({ role: "assistant", content: "", toolCalls: reads });
    for (const call of reads) {
      messages.push({ role: "tool", toolCallId: call.id, content: `${call.id}\n${"y".repeat(4000)}` });
    }
    const plan = planCompaction(messages, { contextTokens: 32_000 });
    // Three older turns fit the keep budget; the oldest is folded; the wide turn stays whole.
    expect(plan?.older).toEqual(messages.slice(2, 4));
    expect(plan?.recent).toEqual(messages.slice(4));
    const tight = planCompaction(messages, { contextTokens: 32_000, keepShare: 0 });
    expect(tight?.older).toEqual(messages.slice(2, 10));
    expect(tight?.recent).toEqual(messages.slice(10));
  });

  it("keeps older turns whole: never a tool result without its call", () => {
    const messages = conversation(30, 1500);
    for (const contextTokens of [4000, 6000, 9000, 12_000]) {
      const plan = planCompaction(messages, { contextTokens });
      if (plan === null) continue;
      expect(plan.recent[0]?.role).toBe("assistant");
      expect(plan.older.at(-1)?.role).toBe("tool");
    }
  });

  it("has nothing to fold when the conversation is only the task and the latest turn", () => {
    const messages = conversation(1, 200_000);
    expect(estimateTokens(messages)).toBeGreaterThan(8000);
    expect(planCompaction(messages, { contextTokens: 8000 })).toBeNull();
  });

  it("fits the transcript for the summary call to its budget however many results it holds", () => {
    const messages = conversation(200, 16_000).slice(2);
    const transcript = renderTranscript(messages, 100_000);
    expect(transcript.length).toBeLessThan(130_000);
    // Something of every result is there.
    for (let turn = 0; turn < 200; turn++) expect(transcript).toContain(`content of f${turn}\n`);
  });

  it("writes a deterministic digest naming each tool call", () => {
    const digest = digestTurns(conversation(2, 10).slice(2));
    expect(digest).toContain('[tool call read_file] {"path":"f0.ts"}');
    expect(digest).toContain("[tool result] content of f1");
  });
});
