import type { FakeReply, FakeRequest, FakeToolCall } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentFixture, createAgentFixture, eventsOf, testLimits } from "./__fixtures__/agent-fixture.js";
import {
  compactions,
  contextLoopOptions,
  isTurn,
  taggedFiles,
  taggedPath,
  tagsOf,
  visibleText,
} from "./__fixtures__/context-files.js";
import { runAgentLoop } from "./agent-loop.js";

// A model that needs to see something of every file it read: when a file's first or last line
// is not in its context any more, it reads the file again, as models do. With compaction folding
// the turn it just took, such a model reads forever; these tests show it finishing instead.

const finish: FakeToolCall = { name: "finish", arguments: { status: "complete", summary: "Indexed." } };
const readCall = (set: string, index: number): FakeToolCall => ({
  id: `read-${set}-${index}`,
  name: "read_file",
  arguments: { path: taggedPath(set, index) },
});
const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
const wrote = (request: FakeRequest): boolean =>
  request.messages.some((message) => message.toolCalls?.some((call) => call.name === "write_file") === true);

/** The indexes of set `set` whose first or last line the request does not show. */
function unseen(request: FakeRequest, set: string, count: number): number[] {
  const text = visibleText(request);
  return range(count).filter((index) => {
    const tags = tagsOf(set, index);
    return !text.includes(tags.begin) || !text.includes(tags.end);
  });
}

function indexOf(set: string, count: number, extra: readonly string[] = []): string {
  const lines = range(count).map((index) => `${tagsOf(set, index).begin} ${tagsOf(set, index).end}`);
  return `${[...lines, ...extra].join("\n")}\n`;
}

describe("runAgentLoop with wide turns", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("completes a task whose first turn reads 200 files of 16 KB within a 128k-token window", async () => {
    const count = 200;
    let rereads = 0;
    const policy = (request: FakeRequest): FakeReply => {
      if (!isTurn(request)) return { text: "- Read the 200 files of a/." };
      if (!request.messages.some((message) => message.role === "assistant")) {
        return { toolCalls: range(count).map((index) => readCall("a", index)) };
      }
      const missing = unseen(request, "a", count);
      if (missing.length > 0) {
        rereads++;
        return { toolCalls: missing.map((index) => readCall("a", index)) };
      }
      const text = visibleText(request);
      const middle = tagsOf("a", 7).middle;
      if (!text.includes(middle)) {
        // Follow the note that stands in for the cut part of a/f007.txt.
        const note = /lines (\d+)–(\d+) of a\/f007\.txt omitted/.exec(text);
        if (note === null)
          return { toolCalls: [{ ...finish, arguments: { status: "failed", summary: "no note" } }] };
        const [startLine, endLine] = [Number(note[1]), Number(note[2])];
        return { toolCalls: [{ name: "read_file", arguments: { path: "a/f007.txt", startLine, endLine } }] };
      }
      if (!wrote(request)) {
        return {
          toolCalls: [
            {
              name: "write_file",
              arguments: { path: "src/INDEX.md", content: indexOf("a", count, [middle]) },
            },
          ],
        };
      }
      return { toolCalls: [finish] };
    };
    fixture = await createAgentFixture({ policy, files: taggedFiles("a", count, 16_384) });

    const result = await runAgentLoop(contextLoopOptions(fixture, 128_000));

    expect([result.outcome, result.reason]).toEqual(["complete", "The agent finished with status complete."]);
    expect(rereads).toBe(0);
    expect(result.turns).toBe(4);
    expect(compactions(fixture.events).length).toBeLessThanOrEqual(1);
    expect(await fixture.repo.git(["show", `${fixture.branch}:src/INDEX.md`])).toBe(
      indexOf("a", count, [tagsOf("a", 7).middle]).trimEnd(),
    );
    // Each of the 200 results was cut to its share, with the note on how to read the rest.
    const second = fixture.server.requests[1];
    const results = second?.lastToolResults() ?? [];
    expect(results).toHaveLength(count);
    const shown = results.reduce((sum, message) => sum + message.content.length, 0);
    expect(shown / 4).toBeLessThan(128_000 * 0.5);
    for (const message of results) {
      expect(message.content.length).toBeLessThan(4_000);
      expect(message.content).toMatch(
        /to see them, call read_file with path "a\/f\d{3}\.txt", startLine \d+, endLine \d+/,
      );
    }
    const prompt = second?.messages.reduce((sum, message) => sum + message.content.length, 0) ?? 0;
    expect(prompt / 4).toBeLessThan(128_000 * 0.75);
  });

  it("keeps a wide turn through compaction: folds the turn before it, never the turn just taken", async () => {
    const count = 200;
    let rereads = 0;
    let summaries = 0;
    let turns = 0;
    const policy = (request: FakeRequest): FakeReply => {
      if (!isTurn(request)) {
        summaries++;
        return { text: "- Read the 200 files of a/; their tags are not needed any more." };
      }
      turns++;
      if (turns === 1) return { toolCalls: range(count).map((index) => readCall("a", index)) };
      if (turns === 2) return { toolCalls: range(count).map((index) => readCall("b", index)) };
      const missing = unseen(request, "b", count);
      if (missing.length > 0) {
        rereads++;
        return { toolCalls: missing.map((index) => readCall("b", index)) };
      }
      if (!wrote(request)) {
        return {
          toolCalls: [
            { name: "write_file", arguments: { path: "src/INDEX.md", content: indexOf("b", count) } },
          ],
        };
      }
      return { toolCalls: [finish] };
    };
    const files = { ...taggedFiles("a", count, 16_384), ...taggedFiles("b", count, 16_384) };
    fixture = await createAgentFixture({ policy, files });

    const result = await runAgentLoop(contextLoopOptions(fixture, 128_000, { ...testLimits, maxTurns: 8 }));

    expect([result.outcome, result.reason]).toEqual(["complete", "The agent finished with status complete."]);
    expect(rereads).toBe(0);
    expect(summaries).toBe(1);
    expect(compactions(fixture.events)).toEqual([
      expect.stringMatching(/^Compacted 201 older messages .* model-written summary\.$/),
    ]);
    const afterCompaction = fixture.server.requests.filter(isTurn)[2];
    expect(afterCompaction?.messages.some((message) => message.toolCallId === "read-a-0")).toBe(false);
    expect(afterCompaction?.lastToolResults()).toHaveLength(count);
    expect(await fixture.repo.git(["show", `${fixture.branch}:src/INDEX.md`])).toBe(
      indexOf("b", count).trimEnd(),
    );
    expect(
      eventsOf(fixture.events, "model-call-end").filter((event) => event.role === "compactor"),
    ).toHaveLength(1);
  });
});
