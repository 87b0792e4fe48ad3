import { type Clock, UserError } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import type { CommitAuthor } from "@longshot/sandbox";
import { runAgentLoop } from "./agent-loop.js";
import type { AttemptResult, Harness, HarnessRunInput } from "./harness.js";
import type { AgentTool } from "./tools/agent-tool.js";
import { builtinTools } from "./tools/builtin-tools.js";
import type { CheckCommand } from "./tools/command-tools.js";
import type { TruncateLimits } from "./truncate-output.js";

/** What the built-in harness shares across attempts. */
export interface BuiltinHarnessOptions {
  /** The worker model client (calls are made with role `worker`). */
  readonly languageModel: LanguageModel;
  readonly clock: Clock;
  /** The worker model's context window (LLM_CONTEXT_TOKENS). */
  readonly contextTokens: number;
  /** Identity of the commits made on task branches. */
  readonly author: CommitAuthor;
  /** The project's checks, run by the `run_checks` tool (build, then test). */
  readonly checks: readonly CheckCommand[];
  /** More tools, such as those of MCP servers; names must not clash with the built-in ones. */
  readonly extraTools?: readonly AgentTool[];
  readonly truncate?: TruncateLimits;
}

/**
 * Longshot's own agent as a {@link Harness}: the loop runs in the orchestrator, tools execute in
 * the task's sandbox, keys never enter it. See {@link runAgentLoop} for how an attempt ends.
 */
export class BuiltinHarness implements Harness {
  readonly name = "builtin" as const;
  readonly #options: BuiltinHarnessOptions;
  readonly #tools: readonly AgentTool[];

  /** Throws `UserError` when an extra tool's name clashes with another tool's. */
  constructor(options: BuiltinHarnessOptions) {
    this.#options = options;
    this.#tools = mergeTools(builtinTools(options.checks), options.extraTools ?? []);
  }

  /** The tools the model is offered. */
  get tools(): readonly AgentTool[] {
    return this.#tools;
  }

  run(input: HarnessRunInput): Promise<AttemptResult> {
    const { languageModel, clock, contextTokens, author, truncate } = this.#options;
    return runAgentLoop({
      ...input,
      languageModel,
      clock,
      contextTokens,
      author,
      tools: this.#tools,
      ...(truncate === undefined ? {} : { truncate }),
    });
  }
}

function mergeTools(builtin: readonly AgentTool[], extra: readonly AgentTool[]): AgentTool[] {
  const names = new Set(builtin.map((tool) => tool.name));
  for (const tool of extra) {
    if (names.has(tool.name)) {
      throw new UserError(
        `Two agent tools are named "${tool.name}"; rename the MCP server or tool so names are unique.`,
      );
    }
    names.add(tool.name);
  }
  return [...builtin, ...extra];
}
