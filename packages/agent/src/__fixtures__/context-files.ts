// Files and model helpers for the context-window tests: files whose first, middle and last lines
// carry tags, so a fake model can tell exactly which parts of a file it was shown.
import { type NewEvent, systemClock } from "@longshot/core";
import { type FakeRequest, type FileChanges, testIdentity } from "@longshot/testkit";
import type { AgentLoopOptions } from "../agent-loop.js";
import type { HarnessLimits } from "../harness.js";
import type { AgentTool } from "../tools/agent-tool.js";
import { builtinTools } from "../tools/builtin-tools.js";
import { type AgentFixture, testLimits } from "./agent-fixture.js";

/** Path of file `index` in set `set`, such as `a/f007.txt`. */
export function taggedPath(set: string, index: number): string {
  return `${set}/f${String(index).padStart(3, "0")}.txt`;
}

/** The tags of one file: its first line, its middle line and its last line. */
export function tagsOf(set: string, index: number): { begin: string; middle: string; end: string } {
  const name = `${set.toUpperCase()}${String(index).padStart(3, "0")}`;
  return { begin: `BEGIN-${name}`, middle: `MIDDLE-${name}`, end: `END-${name}` };
}

/** A file of about `size` characters: a tagged first, middle and last line, numbered filler between. */
export function taggedFile(set: string, index: number, size: number): string {
  const tags = tagsOf(set, index);
  const filler = (line: number): string => `${String(line).padStart(5, "0")} ${"lorem ipsum dolor ".repeat(3)}`;
  const lineLength = filler(1).length + 1;
  const lines = Math.max(3, Math.floor(size / lineLength));
  const middle = Math.floor(lines / 2);
  return Array.from({ length: lines }, (_, at) => {
    if (at === 0) return tags.begin;
    if (at === lines - 1) return tags.end;
    if (at === middle) return tags.middle;
    return filler(at + 1);
  }).join("\n");
}

/** `count` tagged files of set `set`, each about `size` characters. */
export function taggedFiles(set: string, count: number, size: number): FileChanges {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index++) files[taggedPath(set, index)] = taggedFile(set, index, size);
  return files;
}

/** Everything the request shows the model, as one text. */
export function visibleText(request: FakeRequest): string {
  return request.messages.map((message) => message.content).join("\n");
}

/** Whether the request is one of the agent's turns (it offers tools; a summary call does not). */
export const isTurn = (request: FakeRequest): boolean => request.tools.length > 0;

/** Tokens the built-in tools' schemas take, as the loop estimates them. */
export function toolTokens(tools: readonly AgentTool[] = builtinTools([])): number {
  const specs = tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
  return Math.ceil(JSON.stringify(specs).length / 4) + 4;
}

/** Options of `runAgentLoop` for a fixture, with the given window and limits. */
export function contextLoopOptions(
  fixture: AgentFixture,
  contextTokens: number,
  limits: HarnessLimits = testLimits,
  emit: (event: NewEvent) => void = fixture.emit,
): AgentLoopOptions {
  return {
    task: fixture.task,
    attempt: 1,
    sandbox: fixture.sandbox,
    model: "fake-model",
    limits,
    signal: new AbortController().signal,
    emit,
    languageModel: fixture.model,
    tools: builtinTools([]),
    clock: systemClock,
    contextTokens,
    author: testIdentity,
  };
}

/** Messages of `log` events that report a compaction. */
export function compactions(events: readonly NewEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === "log" && event.message.startsWith("Compacted ") ? [event.message] : [],
  );
}
