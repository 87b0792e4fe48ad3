import type { Clock } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import type { CommitAuthor } from "@longshot/sandbox";
import type { HarnessRunInput } from "./harness.js";
import type { AgentTool } from "./tools/agent-tool.js";
import type { TruncateLimits } from "./truncate-output.js";

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
