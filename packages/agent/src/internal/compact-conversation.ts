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

/**
 * Compacts the conversation in place when it nears the context window: older turns become one
 * summary written by the model (a `worker` call without tools), or a deterministic digest of the
 * tool calls when that call fails or is refused. Emits a `log` event saying which.
 */
export async function compactIfNeeded(
  options: AgentLoopOptions,
  conversation: Conversation,
  policy: CompactionPolicy,
  watchdog: AttemptWatchdog,
): Promise<void> {
  const plan = planCompaction(conversation.messages, policy);
  if (plan === null) return;
  const before = estimateTokens(conversation.messages);
  const result = await options.languageModel.complete(
    {
      messages: [
        { role: "system", content: compactionPrompt },
        { role: "user", content: renderTranscript(plan.older) },
      ],
      model: options.model,
    },
    { role: "worker", runId: options.task.runId, taskId: options.task.id, signal: watchdog.signal },
  );
  watchdog.touch();
  if (result.ok || result.kind === "failed") conversation.usage = addUsage(conversation.usage, result.usage);
  const modelSummary = result.ok && result.text.trim() !== "" ? result.text.trim() : null;
  conversation.messages = applyCompaction(plan, modelSummary ?? digestTurns(plan.older));
  const after = estimateTokens(conversation.messages);
  options.emit({
    type: "log",
    level: "info",
    message: `Compacted ${plan.older.length} older messages (about ${before} → ${after} tokens) into a ${modelSummary === null ? "deterministic digest" : "model-written summary"}.`,
    taskId: options.task.id,
  });
}
