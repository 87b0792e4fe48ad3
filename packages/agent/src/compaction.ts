import type { ChatMessage } from "@longshot/llm";
import { truncateOutput } from "./truncate-output.js";

/**
 * Rough token count of a conversation: about four characters a token plus a small overhead per
 * message and tool call. Deterministic and cheap; it errs high for code, which is the safe side.
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let characters = 0;
  let overhead = 0;
  for (const message of messages) {
    overhead += 4;
    characters += message.content.length;
    if (message.role === "assistant") {
      for (const call of message.toolCalls ?? []) {
        overhead += 8;
        characters += call.name.length + call.arguments.length;
      }
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
  /** Keep recent messages worth up to this share of the window verbatim. Default 0.3. */
  readonly keepShare?: number;
}

/** A conversation split for compaction: what stays verbatim and what gets summarized. */
export interface CompactionPlan {
  /** The leading system and task messages, always kept. */
  readonly head: readonly ChatMessage[];
  /** Older turns to fold into one summary. */
  readonly older: readonly ChatMessage[];
  /** Recent turns kept verbatim; never starts with a tool result cut off from its call. */
  readonly recent: readonly ChatMessage[];
}

/**
 * Decides whether a conversation needs compacting and where to cut it. Returns null when it fits,
 * or when there is nothing old enough to fold (a single huge turn cannot be compacted; tool
 * output truncation bounds that case). The first two messages (system prompt and task) are kept.
 */
export function planCompaction(
  messages: readonly ChatMessage[],
  policy: CompactionPolicy,
): CompactionPlan | null {
  const trigger = policy.contextTokens * (policy.triggerShare ?? 0.75);
  if (estimateTokens(messages) <= trigger) return null;
  const headLength = Math.min(2, messages.length);
  const keepBudget = policy.contextTokens * (policy.keepShare ?? 0.3);
  let cut = messages.length;
  let kept = 0;
  while (cut > headLength) {
    const candidate = messages[cut - 1];
    if (candidate === undefined) break;
    const cost = estimateTokens([candidate]);
    if (kept + cost > keepBudget) break;
    kept += cost;
    cut--;
  }
  // A tool result must stay with the assistant message that called it.
  while (cut < messages.length && messages[cut]?.role === "tool") cut++;
  if (cut <= headLength) return null;
  return {
    head: messages.slice(0, headLength),
    older: messages.slice(headLength, cut),
    recent: messages.slice(cut),
  };
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
 * A transcript of messages as plain text, each tool result cut to `maxResultChars`: the input of
 * the summary model call, and (cut harder) the deterministic fallback summary.
 */
export function renderTranscript(messages: readonly ChatMessage[], maxResultChars = 2_000): string {
  const lines: string[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "user":
        lines.push(`[${message.role}] ${truncateOutput(message.content, { maxChars: maxResultChars })}`);
        break;
      case "assistant":
        if (message.content)
          lines.push(`[assistant] ${truncateOutput(message.content, { maxChars: maxResultChars })}`);
        for (const call of message.toolCalls ?? []) {
          lines.push(`[tool call ${call.name}] ${truncateOutput(call.arguments, { maxChars: 400 })}`);
        }
        break;
      case "tool":
        lines.push(
          `[tool result] ${truncateOutput(message.content, { maxChars: maxResultChars, headShare: 0.5 })}`,
        );
        break;
    }
  }
  return lines.join("\n");
}

/**
 * The deterministic summary used when the model cannot write one: every tool call with its
 * arguments, the first line of its result, and the agent's own remarks, in order.
 */
export function digestTurns(messages: readonly ChatMessage[]): string {
  return renderTranscript(messages, 240);
}
