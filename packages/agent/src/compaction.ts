import type { ChatMessage } from "@longshot/llm";
import { type OmissionNote, truncateOutput } from "./truncate-output.js";

const shortNote: OmissionNote = ({ characters }) => `[… ${characters} characters omitted …]`;

/**
 * Rough token count of a conversation: about four characters a token plus a small overhead per
 * message and tool call. Deterministic and cheap; it errs high for code, which is the safe side.
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) tokens += estimateMessageTokens(message);
  return tokens;
}

/** {@link estimateTokens} of one message. */
export function estimateMessageTokens(message: ChatMessage): number {
  let characters = message.content.length;
  let overhead = 4;
  if (message.role === "assistant") {
    for (const call of message.toolCalls ?? []) {
      overhead += 8;
      characters += call.name.length + call.arguments.length;
    }
  }
  return Math.ceil(characters / 4) + overhead;
}

/** When and how much to compact. */
export interface CompactionPolicy {
  /** The model's context window in tokens (LLM_CONTEXT_TOKENS). */
  readonly contextTokens: number;
  /** Compact once the estimate passes this share of the window. Default 0.75. */
  readonly triggerShare?: number;
  /** Keep turns before the latest worth up to this share of the window verbatim. Default 0.3. */
  readonly keepShare?: number;
  /**
   * Most of the window the latest turn (the last assistant message and its tool results) may
   * take; its results are cut to fit as they arrive. Default 0.5.
   */
  readonly turnShare?: number;
}

/** A conversation split for compaction: what stays verbatim and what gets summarized. */
export interface CompactionPlan {
  /** The leading system and task messages, always kept. */
  readonly head: readonly ChatMessage[];
  /** Older turns to fold into one summary. */
  readonly older: readonly ChatMessage[];
  /**
   * Recent turns kept verbatim: always the latest assistant message with everything after it,
   * and never a tool result cut off from its call.
   */
  readonly recent: readonly ChatMessage[];
}

/**
 * Decides whether a conversation needs compacting and where to cut it. Returns null when it fits,
 * or when there is nothing old enough to fold. The first two messages (system prompt and task)
 * are kept, and so is the latest turn: the last assistant message and the tool results after it,
 * however large (the loop cuts a turn's results to `turnShare` of the window as they arrive), so
 * the model always sees what it just asked for. Older whole turns stay verbatim while they fit
 * `keepShare` of the window; the rest is folded.
 */
export function planCompaction(
  messages: readonly ChatMessage[],
  policy: CompactionPolicy,
): CompactionPlan | null {
  const trigger = policy.contextTokens * (policy.triggerShare ?? 0.75);
  if (estimateTokens(messages) <= trigger) return null;
  const headLength = Math.min(2, messages.length);
  const keepBudget = policy.contextTokens * (policy.keepShare ?? 0.3);
  let cut = latestTurnStart(messages, headLength);
  let kept = 0;
  let pending = 0;
  // Whole turns only: a cut falls on a message that is not a tool result.
  for (let index = cut - 1; index >= headLength; index--) {
    const message = messages[index];
    if (message === undefined) break;
    pending += estimateMessageTokens(message);
    if (message.role === "tool") continue;
    if (kept + pending > keepBudget) break;
    kept += pending;
    pending = 0;
    cut = index;
  }
  if (cut <= headLength) return null;
  return {
    head: messages.slice(0, headLength),
    older: messages.slice(headLength, cut),
    recent: messages.slice(cut),
  };
}

/** Index of the last assistant message after the head, or the end when there is none. */
function latestTurnStart(messages: readonly ChatMessage[], headLength: number): number {
  for (let index = messages.length - 1; index >= headLength; index--) {
    if (messages[index]?.role === "assistant") return index;
  }
  return messages.length;
}

/** Rebuilds the conversation from a plan and the summary of its older turns. */
export function applyCompaction(plan: CompactionPlan, summary: string): ChatMessage[] {
  const note: ChatMessage = {
    role: "user",
    content: `Earlier turns of this conversation were compacted to save context. Summary of the work so far:\n\n${summary}\n\nContinue the task from here; re-read files if you need their exact current content.`,
  };
  return [...plan.head, note, ...plan.recent];
}

/**
 * A transcript of messages as plain text for about `budgetChars` characters: each entry (a
 * message, a tool call) gets an even share, at least 120 and at most `maxEntryChars` characters,
 * cut to head and tail. The input of the summary model call, and (cut harder) the deterministic
 * fallback summary.
 */
export function renderTranscript(
  messages: readonly ChatMessage[],
  budgetChars = Number.POSITIVE_INFINITY,
  maxEntryChars = 2_000,
): string {
  let entries = 0;
  for (const message of messages) {
    entries += message.role === "assistant" ? (message.toolCalls?.length ?? 0) + 1 : 1;
  }
  const share = Math.max(120, Math.min(maxEntryChars, Math.floor(budgetChars / Math.max(1, entries))));
  const cut = (text: string, maxChars: number, headShare?: number): string =>
    truncateOutput(text, headShare === undefined ? { maxChars } : { maxChars, headShare }, shortNote);
  const lines: string[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "user":
        lines.push(`[${message.role}] ${cut(message.content, share)}`);
        break;
      case "assistant":
        if (message.content) lines.push(`[assistant] ${cut(message.content, share)}`);
        for (const call of message.toolCalls ?? []) {
          lines.push(`[tool call ${call.name}] ${cut(call.arguments, Math.min(400, share))}`);
        }
        break;
      case "tool":
        lines.push(`[tool result] ${cut(message.content, share, 0.5)}`);
        break;
    }
  }
  return lines.join("\n");
}

/**
 * The deterministic summary used when the model cannot write one: every tool call with its
 * arguments, the start of its result, and the agent's own remarks, in order, in about
 * `budgetChars` characters.
 */
export function digestTurns(
  messages: readonly ChatMessage[],
  budgetChars = Number.POSITIVE_INFINITY,
): string {
  return renderTranscript(messages, budgetChars, 240);
}
