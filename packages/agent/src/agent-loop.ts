import { AbortError, type Clock, type Handoff, type Usage, zeroUsage } from "@longshot/core";
import type { ChatMessage, Completion, LanguageModel, ToolSpec } from "@longshot/llm";
import type { CommitAuthor } from "@longshot/sandbox";
import type { CompactionPolicy } from "./compaction.js";
import type { AttemptResult, HarnessRunInput } from "./harness.js";
import { AttemptWatchdog } from "./internal/attempt-watchdog.js";
import { compactIfNeeded } from "./internal/compact-conversation.js";
import { finishAttempt } from "./internal/finish-attempt.js";
import { streamTurn } from "./internal/model-turn.js";
import { finishNudge, taskPrompt, tooManyCalls, workerSystemPrompt } from "./internal/prompts.js";
import { RepeatedReads } from "./internal/repeated-reads.js";
import { type DispatchContext, dispatchToolCall, skipToolCall } from "./internal/tool-dispatch.js";
import { TurnRoom } from "./internal/turn-room.js";
import { addUsage, totalTokens } from "./internal/usage-total.js";
import type { AgentTool } from "./tools/agent-tool.js";
import { defaultTruncateLimits, type TruncateLimits } from "./truncate-output.js";

/** Everything the built-in loop needs for one attempt. */
export interface AgentLoopOptions extends HarnessRunInput {
  readonly languageModel: LanguageModel;
  /** Must include `finish`; the built-in tools plus any MCP tools. */
  readonly tools: readonly AgentTool[];
  readonly clock: Clock;
  /** The worker model's context window (LLM_CONTEXT_TOKENS). */
  readonly contextTokens: number;
  /** Identity of the commit made after the agent finishes. */
  readonly author: CommitAuthor;
  readonly truncate?: TruncateLimits;
  /** Replaces the standard instructions. */
  readonly systemPrompt?: string;
}

/** The loop's running state, ended by a handoff or a stop. */
interface LoopState {
  messages: ChatMessage[];
  usage: Usage;
  turns: number;
  nudged: boolean;
  readonly written: Set<string>;
}

type LoopEnd =
  | { readonly kind: "handoff"; readonly handoff: Handoff }
  | { readonly kind: "stop"; readonly outcome: "failed" | "budget"; readonly reason: string };

/**
 * Runs the built-in agent for one attempt: brain here, hands in the sandbox. The model calls
 * tools until it calls `finish`; tool failures go back to it as results. The attempt also ends on
 * the turn or token limit, a model failure or budget refusal, the wall time, the stuck timeout
 * or cancellation, each as an outcome. Afterwards the work is committed on the task branch
 * (except when cancelled) and the handoff is completed with the files that really changed.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AttemptResult> {
  const watchdog = new AttemptWatchdog(options.clock, options.limits, options.signal);
  const state: LoopState = {
    messages: [
      { role: "system", content: options.systemPrompt ?? workerSystemPrompt },
      { role: "user", content: taskPrompt(options.task, options.feedback) },
    ],
    usage: zeroUsage,
    turns: 0,
    nudged: false,
    written: new Set(),
  };
  try {
    const end = await loop(options, state, watchdog);
    return await finishAttempt(options, {
      ...end,
      usage: state.usage,
      turns: state.turns,
      written: state.written,
    });
  } catch (error) {
    const reason = watchdog.reason;
    if (reason === null || !(error instanceof AbortError || watchdog.signal.aborted)) throw error;
    return await finishAttempt(options, {
      kind: "stopped",
      reason,
      usage: state.usage,
      turns: state.turns,
      written: state.written,
    });
  } finally {
    watchdog.stop();
  }
}

async function loop(
  options: AgentLoopOptions,
  state: LoopState,
  watchdog: AttemptWatchdog,
): Promise<LoopEnd> {
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  const specs: ToolSpec[] = options.tools.map(({ name, description, parameters }) => ({
    name,
    description,
    parameters,
  }));
  const dispatch: DispatchContext = {
    tools,
    toolContext: {
      sandbox: options.sandbox,
      signal: watchdog.signal,
      recordWrite: (path) => state.written.add(path),
      reportActivity: () => watchdog.touch(),
    },
    emit: options.emit,
    clock: options.clock,
    taskId: options.task.id,
    attempt: options.attempt,
    truncate: options.truncate ?? defaultTruncateLimits,
    repeats: new RepeatedReads(),
  };
  const compaction: CompactionPolicy = {
    contextTokens: Math.max(512, options.contextTokens - estimateToolTokens(options.tools)),
  };
  for (;;) {
    const limit = checkLimits(options, state);
    if (limit !== null) return limit;
    if (await compactIfNeeded(options, state, compaction, watchdog)) dispatch.repeats.forget();
    const result = await streamTurn(
      options.languageModel,
      { messages: state.messages, tools: specs, model: options.model },
      { role: "worker", runId: options.task.runId, taskId: options.task.id, signal: watchdog.signal },
      () => watchdog.touch(),
    );
    state.turns++;
    state.usage = addUsage(state.usage, result.ok || result.kind === "failed" ? result.usage : zeroUsage);
    if (!result.ok) {
      return result.kind === "budget"
        ? { kind: "stop", outcome: "budget", reason: result.message }
        : { kind: "stop", outcome: "failed", reason: `The model call failed: ${result.error}` };
    }
    watchdog.touch();
    const end = await handleCompletion(result, options, state, dispatch, compaction);
    if (end !== null) return end;
  }
}

async function handleCompletion(
  completion: Completion,
  options: AgentLoopOptions,
  state: LoopState,
  dispatch: DispatchContext,
  compaction: CompactionPolicy,
): Promise<LoopEnd | null> {
  state.messages.push(completion.message);
  if (completion.text.trim() !== "") {
    options.emit({
      type: "agent-text",
      taskId: options.task.id,
      attempt: options.attempt,
      text: completion.text,
    });
  }
  if (completion.toolCalls.length === 0) {
    if (state.nudged) {
      return { kind: "stop", outcome: "failed", reason: "The agent stopped twice without calling finish." };
    }
    state.nudged = true;
    state.messages.push({ role: "user", content: finishNudge });
    return null;
  }
  // The turn's results share half the window, so compaction can keep this turn whole.
  const room = TurnRoom.of(completion.message, compaction, dispatch.truncate.maxChars);
  const calls = completion.toolCalls.length;
  let handoff: Handoff | undefined;
  for (const [index, call] of completion.toolCalls.entries()) {
    const dispatched =
      index < room.runnable
        ? await dispatchToolCall(call, dispatch, room.allowance())
        : skipToolCall(call, dispatch, tooManyCalls(calls, room.runnable));
    room.spend(dispatched.message.content.length);
    state.messages.push(dispatched.message);
    handoff ??= dispatched.result.handoff;
  }
  return handoff === undefined ? null : { kind: "handoff", handoff };
}

function checkLimits(options: AgentLoopOptions, state: LoopState): LoopEnd | null {
  if (state.turns >= options.limits.maxTurns) {
    return {
      kind: "stop",
      outcome: "failed",
      reason: `The agent used all ${options.limits.maxTurns} turns without finishing.`,
    };
  }
  const maxTokens = options.limits.maxTokens;
  if (maxTokens !== undefined && totalTokens(state.usage) >= maxTokens) {
    return {
      kind: "stop",
      outcome: "budget",
      reason: `The attempt used its ${maxTokens} tokens without finishing.`,
    };
  }
  return null;
}

/** Characters of each tool's schema as sent to the model; tools are long-lived, their schemas fixed. */
const schemaCharacters = new WeakMap<AgentTool, number>();

/**
 * `estimateTokens` of the tool schemas sent with every call (`JSON.stringify` of the specs as a
 * system message), from each tool's size measured once rather than once an attempt.
 */
function estimateToolTokens(tools: readonly AgentTool[]): number {
  // "[" + each spec followed by "," or "]".
  let characters = tools.length === 0 ? 2 : 1;
  for (const tool of tools) {
    let size = schemaCharacters.get(tool);
    if (size === undefined) {
      const { name, description, parameters } = tool;
      size = JSON.stringify({ name, description, parameters }).length;
      schemaCharacters.set(tool, size);
    }
    characters += size + 1;
  }
  return Math.ceil(characters / 4) + 4;
}
