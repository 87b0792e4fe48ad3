import type { Usage } from "@longshot/core";
import type { ChatMessage } from "@longshot/llm";
import type { AgentLoopOptions } from "../agent-loop.js";
import {
  applyCompaction,
  type CompactionPolicy,
  digestTurns,
  estimateTokens,
  planCompaction,
  renderTranscript,
} from "../compaction.js";
import type { AttemptWatchdog } from "./attempt-watchdog.js";
import { compactionPrompt } from "./prompts.js";
import { addUsage } from "./usage-total.js";

interface Conversation {
  messages: ChatMessage[];
  usage: Usage;
}

/** Share of the window the transcript sent to the summary call may take. */
const transcriptShare = 0.6;
/** Share of the window the deterministic digest (the fallback summary) may take. */
const digestShare = 0.1;

/**
 * Compacts the conversation in place when it nears the context window: older turns become one
 * summary written by the model (a `compactor` call without tools, on the attempt's model,
 * attributed to the task so it counts against the task's budget), or a deterministic digest of
 * the tool calls when that call fails or is refused. The transcript sent and the digest are cut
 * to fit the window however many turns are folded. Emits a `log` event saying which. Returns
 * whether it compacted.
 */
export async function compactIfNeeded(
  options: AgentLoopOptions,
  conversation: Conversation,
  policy: CompactionPolicy,
  watchdog: AttemptWatchdog,
): Promise<boolean> {
  const plan = planCompaction(conversation.messages, policy);
  if (plan === null) return false;
  const before = estimateTokens(conversation.messages);
  const charsOf = (share: number): number => Math.floor(policy.contextTokens * share) * 4;
  const result = await options.languageModel.complete(
    {
      messages: [
        { role: "system", content: compactionPrompt },
        { role: "user", content: renderTranscript(plan.older, charsOf(transcriptShare)) },
      ],
      model: options.model,
    },
    { role: "compactor", runId: options.task.runId, taskId: options.task.id, signal: watchdog.signal },
  );
  watchdog.touch();
  if (result.ok || result.kind === "failed") conversation.usage = addUsage(conversation.usage, result.usage);
  const modelSummary = result.ok && result.text.trim() !== "" ? result.text.trim() : null;
  conversation.messages = applyCompaction(
    plan,
    modelSummary ?? digestTurns(plan.older, charsOf(digestShare)),
  );
  const after = estimateTokens(conversation.messages);
  options.emit({
    type: "log",
    level: "info",
    message: `Compacted ${plan.older.length} older messages (about ${before} → ${after} tokens) into a ${modelSummary === null ? "deterministic digest" : "model-written summary"}.`,
    taskId: options.task.id,
  });
  return true;
}
