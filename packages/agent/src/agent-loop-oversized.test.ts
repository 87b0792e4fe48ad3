import type { FakeReply, FakeRequest, FakeToolCall } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentFixture, createAgentFixture, eventsOf, testLimits } from "./__fixtures__/agent-fixture.js";
import {
  compactions,
  contextLoopOptions,
  isTurn,
  taggedFile,
  taggedFiles,
  taggedPath,
  tagsOf,
  toolTokens,
  visibleText,
} from "./__fixtures__/context-files.js";
import { runAgentLoop } from "./agent-loop.js";

// The ways one turn can outgrow the context window: one result larger than the whole window,
// more parallel calls than fit, and the same file read again and again. Each must end with the
// task done, not with the agent reading in circles until its turns run out.

const finish: FakeToolCall = { name: "finish", arguments: { status: "complete", summary: "Done." } };
const summary: FakeReply = { text: "- Earlier reads, summarized." };

describe("runAgentLoop with oversized turns", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("shows the head and tail of a result larger than the whole window, and how to read the rest", async () => {
    const window = toolTokens() + 3_000;
    const big = taggedFile("x", 0, 200_000);
    const tags = tagsOf("x", 0);
    const middleLine = big.split("\n").indexOf(tags.middle) + 1;
    let rereads = 0;
    const policy = (request: FakeRequest): FakeReply => {
      if (!isTurn(request)) return summary;
      const text = visibleText(request);
      if (!text.includes(tags.begin) || !text.includes(tags.end)) {
        rereads++;
        return { toolCalls: [{ name: "read_file", arguments: { path: "big.txt" } }] };
      }
      if (!text.includes(tags.middle)) {
        const note = /lines (\d+)–(\d+) of big\.txt omitted/.exec(text);
        const [first, last] = [Number(note?.[1]), Number(note?.[2])];
        if (!(first <= middleLine && middleLine <= last)) {
          return {
            toolCalls: [{ ...finish, arguments: { status: "failed", summary: "no note on the middle" } }],
          };
        }
        // The note says where the rest is; read the part of it that matters.
        const range = { startLine: middleLine - 2, endLine: middleLine + 2 };
        return { toolCalls: [{ name: "read_file", arguments: { path: "big.txt", ...range } }] };
      }
      return { toolCalls: [finish] };
    };
    fixture = await createAgentFixture({ policy, files: { "big.txt": big } });

    const result = await runAgentLoop(contextLoopOptions(fixture, window));

    expect([result.outcome, result.reason]).toEqual(["complete", "The agent finished with status complete."]);
    expect(rereads).toBe(1);
    expect(result.turns).toBe(3);
    expect(compactions(fixture.events).length).toBeLessThanOrEqual(1);
    const shown = fixture.server.requests.filter(isTurn)[1]?.lastToolResults()[0]?.content ?? "";
    expect(shown.length).toBeLessThan(3_000 * 4 * 0.6);
    expect(shown.startsWith(`${tags.begin}\n`)).toBe(true);
    expect(shown.endsWith(tags.end)).toBe(true);
    // The note names exactly the lines it left out.
    const [, first, last] = /lines (\d+)–(\d+) of big\.txt omitted/.exec(shown) ?? [];
    const lines = big.split("\n");
    expect(shown).toContain(`${lines[Number(first) - 2]}\n`);
    expect(shown).not.toContain(lines[Number(first) - 1]);
    expect(shown).not.toContain(lines[Number(last) - 1]);
    expect(shown).toContain(`\n${lines[Number(last)]}`);
  });

  it("runs as many parallel calls as fit the window and answers the rest, which the model makes again", async () => {
    const count = 100;
    const window = toolTokens() + 16_000;
    const seen = new Set<number>();
    let notRun = 0;
    const policy = (request: FakeRequest): FakeReply => {
      if (!isTurn(request)) return summary;
      for (const message of request.lastToolResults()) {
        const index = /BEGIN-P(\d{3})/.exec(message.content)?.[1];
        if (index !== undefined && message.content.includes(tagsOf("p", Number(index)).end))
          seen.add(Number(index));
        if (message.content.startsWith("Not run:")) notRun++;
      }
      const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !seen.has(index));
      if (missing.length === 0) return { toolCalls: [finish] };
      return {
        toolCalls: missing.map((index) => ({
          id: `read-${index}`,
          name: "read_file",
          arguments: { path: taggedPath("p", index) },
        })),
      };
    };
    fixture = await createAgentFixture({ policy, files: taggedFiles("p", count, 2_000) });

    const result = await runAgentLoop(contextLoopOptions(fixture, window, { ...testLimits, maxTurns: 30 }));

    expect([result.outcome, result.reason]).toEqual(["complete", "The agent finished with status complete."]);
    expect(seen.size).toBe(count);
    expect(notRun).toBeGreaterThan(0);
    const reads = eventsOf(fixture.events, "tool-call-end").filter((event) => event.tool === "read_file");
    // Every file was read exactly once; the calls that did not fit were answered without running.
    expect(reads.filter((event) => event.ok)).toHaveLength(count);
    expect(reads.filter((event) => !event.ok)).toHaveLength(notRun);
    expect(result.turns).toBeLessThan(20);
    // No request showed the model more than the window holds.
    for (const request of fixture.server.requests.filter(isTurn)) {
      const characters = request.messages.reduce((sum, message) => sum + message.content.length, 0);
      expect(characters / 4).toBeLessThan(16_000);
    }
  });

  it("answers a repeated read of an unchanged file with a reference, so re-reading does not fill the window", async () => {
    const window = toolTokens() + 12_000;
    const big = taggedFile("r", 0, 14_000);
    const read = (id: string): FakeReply => ({
      toolCalls: [{ id, name: "read_file", arguments: { path: "src/big.txt" } }],
    });
    const policy = (request: FakeRequest): FakeReply => {
      if (!isTurn(request)) return summary;
      const turn = request.messages.filter((message) => message.role === "assistant").length;
      if (turn < 6) return read(`read-${turn}`);
      if (turn === 6) {
        return {
          toolCalls: [
            {
              name: "edit_file",
              arguments: { path: "src/big.txt", oldText: tagsOf("r", 0).end, newText: "CHANGED" },
            },
          ],
        };
      }
      if (turn === 7) return read("read-after-edit");
      return { toolCalls: [finish] };
    };
    fixture = await createAgentFixture({ policy, files: { "src/big.txt": big } });

    const result = await runAgentLoop(contextLoopOptions(fixture, window));

    expect([result.outcome, result.reason]).toEqual(["complete", "The agent finished with status complete."]);
    // Six reads of a 3,500-token file in a 12,000-token window, and nothing had to be folded.
    expect(compactions(fixture.events)).toEqual([]);
    const results = fixture.server.requests
      .filter(isTurn)
      .map((request) => request.lastToolResults()[0]?.content ?? "");
    expect(results[1]).toBe(big);
    expect(results[2]).toMatch(
      /^Unchanged: your earlier read_file call read-0, with the same arguments, gave exactly this result/,
    );
    expect(results[2]).not.toContain("You have now made this call");
    expect(results[3]).toContain("You have now made this call 3 times");
    expect(results[7]).toContain("Replaced 1 occurrence");
    // After a change the file is shown again, in full.
    expect(results[8]).toBe(big.replace(tagsOf("r", 0).end, "CHANGED"));
    const last = fixture.server.requests.filter(isTurn).at(-1);
    expect(last?.messages.find((message) => message.toolCallId === "read-0")?.content).toBe(big);
  });
});
