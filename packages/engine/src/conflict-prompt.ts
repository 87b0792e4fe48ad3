import { throwIfAborted } from "@longshot/core";
import type { ChatMessage } from "@longshot/llm";
import { type ConflictHunk, type HunkConflict, spliceAnswers } from "@longshot/merge-queue";
import { type PromptTemplate, readPrompt, renderPrompt } from "@longshot/planner";
import { z } from "zod";
import type { ConflictToResolve, TaskIntent } from "./ports.js";

/** Where the engine's prompts ship: `prompts/` next to `src/` and `dist/`. */
export const enginePromptDirectory: URL = new URL("../prompts/", import.meta.url);

/** Reads the versioned prompt of the resolution step (`resolve-conflict@N`). */
export async function loadConflictPrompt(
  signal: AbortSignal,
  directory: URL = enginePromptDirectory,
): Promise<PromptTemplate> {
  throwIfAborted(signal);
  return readPrompt("resolve-conflict", directory, signal);
}

/** The name of the answer's schema on the wire. */
export const resolutionSchemaName = "conflict_resolution";

const AnswerSchema = z.object({
  hunks: z
    .array(
      z.object({
        id: z.string().describe("A hunk id as given, such as src/index.ts#1."),
        resolution: z.string().describe("The lines that replace the hunk, each ending with a newline."),
      }),
    )
    .describe("One answer per hunk."),
  cannotResolve: z
    .string()
    .nullable()
    .describe("Null when every hunk is answered; else one sentence saying why the task must be redone."),
});
export type ConflictAnswer = z.infer<typeof AnswerSchema>;

/**
 * The answer's schema for one conflict: besides the shape, every hunk answered exactly once and
 * no conflict markers left, so an answer that misses gets the model's one repair round.
 */
export function answerSchema(described: HunkConflict) {
  return AnswerSchema.superRefine((answer, context) => {
    if (answer.cannotResolve !== null) return;
    const spliced = spliceAnswers(described.hunked, answer.hunks);
    if (!spliced.ok)
      for (const problem of spliced.problems) context.addIssue({ code: "custom", message: problem });
  });
}

/** Most characters of each side's diff in the prompt. */
const maxDiffChars = 12_000;
/** A fence no line of code is likely to hold. */
const fence = "````";

function block(lines: readonly string[]): string {
  return `${fence}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}${fence}`;
}

function cut(diff: string): string {
  if (diff === "") return "(no change)";
  return diff.length > maxDiffChars
    ? `${diff.slice(0, maxDiffChars)}\n… (cut at ${maxDiffChars} characters)`
    : diff;
}

function hunkSection(hunk: ConflictHunk): string {
  const parts = [
    `### Hunk ${hunk.id}`,
    "Lines before it (unchanged, not part of the answer):",
    block(hunk.before),
    "The integration branch's lines:",
    block(hunk.integration),
  ];
  if (hunk.base !== null) parts.push("The common ancestor's lines:", block(hunk.base));
  parts.push(
    "The task's lines:",
    block(hunk.task),
    "Lines after it (unchanged, not part of the answer):",
    block(hunk.after),
  );
  return parts.join("\n");
}

/** `Longshot-Task: t0007` trailers name the task a landed commit belongs to. */
const taskTrailer = /^Longshot-Task:\s*(\S+)\s*$/m;

/** What landed on the integration branch in the conflicted files: tasks with their intent, or bare commits. */
function integrationSide(described: HunkConflict, intentOf: (taskId: string) => TaskIntent | null): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const commit of described.integrationCommits) {
    const taskId = taskTrailer.exec(commit.message)?.[1] ?? null;
    const intent = taskId === null ? null : intentOf(taskId);
    if (taskId !== null && seen.has(taskId)) continue;
    if (taskId !== null) seen.add(taskId);
    if (intent === null) lines.push(`- ${commit.sha.slice(0, 10)} ${commit.subject}`);
    else lines.push(`- ${taskId} ${intent.title}${intent.summary === "" ? "" : `: ${intent.summary}`}`);
  }
  return lines.length > 0 ? lines : ["- (no commit names these files; see the diff below)"];
}

/**
 * The resolution call's messages: the versioned instructions as the system message, and the
 * conflict (both sides' intents, the hunks, both sides' diffs of the conflicted files) as the
 * user message.
 */
export function conflictMessages(
  template: PromptTemplate,
  request: ConflictToResolve,
  described: HunkConflict,
  maxHunks: number,
): ChatMessage[] {
  const task = request.task;
  const summary = request.handoff?.summary ?? "";
  const settled = [...described.settled].map(([file, entry]) => `- ${file} (${entry.rule})`);
  const user = [
    "## The task whose work conflicted",
    `${task.id} ${task.title}${summary === "" ? "" : `: ${summary}`}`,
    "",
    "## What landed on the integration branch in these files meanwhile",
    ...integrationSide(described, request.intentOf),
    "",
    ...(settled.length > 0 ? ["## Files already settled by rule (not yours to answer)", ...settled, ""] : []),
    "## Conflicted hunks",
    "",
    ...described.hunked.flatMap((file) => file.hunks.map((hunk) => `${hunkSection(hunk)}\n`)),
    "## The integration branch's change of these files since the task started",
    `${fence}diff\n${cut(described.integrationDiff)}\n${fence}`,
    "",
    "## The task's change of these files",
    `${fence}diff\n${cut(described.taskDiff)}\n${fence}`,
  ].join("\n");
  return [
    { role: "system", content: renderPrompt(template, { maxHunks }) },
    { role: "user", content: user },
  ];
}
