import { type Clock, UserError } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import type { CommitAuthor } from "@longshot/sandbox";
import { BuiltinHarness } from "./builtin-harness.js";
import { claudeCodeAdapter } from "./cli/claude-code-adapter.js";
import type { CliAdapter } from "./cli/cli-adapter.js";
import { type CliGateway, CliHarness } from "./cli/cli-harness.js";
import { codexAdapter } from "./cli/codex-adapter.js";
import { openCodeAdapter } from "./cli/opencode-adapter.js";
import { piAdapter } from "./cli/pi-adapter.js";
import type { Harness, HarnessName } from "./harness.js";
import type { AgentTool } from "./tools/agent-tool.js";
import type { CheckCommand } from "./tools/command-tools.js";

/** The adapter of each external CLI harness. */
export const cliAdapters: Readonly<Record<Exclude<HarnessName, "builtin">, CliAdapter>> = {
  codex: codexAdapter,
  pi: piAdapter,
  opencode: openCodeAdapter,
  "claude-code": claudeCodeAdapter,
};

/**
 * The command that installs CLI `name` at the version longshot is tested with, as image builds
 * run it (the Modal image layer; docker/e2b-cli.Dockerfile spells the same).
 */
export function cliInstallCommand(name: Exclude<HarnessName, "builtin">): string {
  const adapter = cliAdapters[name];
  return `npm install --global --no-fund --no-audit --loglevel=error ${adapter.npmPackage}@${adapter.npmVersion}`;
}

/** Everything any harness may need; which parts are required depends on the harness. */
export interface HarnessFactoryOptions {
  readonly clock: Clock;
  readonly author: CommitAuthor;
  readonly checks: readonly CheckCommand[];
  /** Required for `builtin`. */
  readonly languageModel?: LanguageModel;
  /** Required for `builtin` (LLM_CONTEXT_TOKENS). */
  readonly contextTokens?: number;
  /** `builtin` only: MCP tools and the like. */
  readonly extraTools?: readonly AgentTool[];
  /** Required for external CLIs: the run's model gateway (their only way to a model). */
  readonly gateway?: CliGateway;
  /** External CLIs: how to start the program inside the sandbox. */
  readonly command?: readonly string[];
  /** External CLIs: extra environment (such as a PATH holding `node`). */
  readonly env?: Readonly<Record<string, string>>;
  /** External CLIs: how long one may go on after the gateway refused its call (default 10 s). */
  readonly refusalGraceMs?: number;
  /** External CLIs in cloud sandboxes: the gateway's public address (GATEWAY_PUBLIC_URL). */
  readonly gatewayPublicUrl?: string;
}

/**
 * The harness WORKER_HARNESS names. Throws `UserError` when what that harness needs is missing
 * (a model client for `builtin`, the model gateway for a CLI).
 */
export function createHarness(name: HarnessName, options: HarnessFactoryOptions): Harness {
  if (name === "builtin") {
    if (options.languageModel === undefined || options.contextTokens === undefined) {
      throw new UserError("The builtin harness needs a worker model; set LLM_BASE_URL or LLM_ENDPOINTS.");
    }
    return new BuiltinHarness({
      languageModel: options.languageModel,
      contextTokens: options.contextTokens,
      clock: options.clock,
      author: options.author,
      checks: options.checks,
      ...(options.extraTools === undefined ? {} : { extraTools: options.extraTools }),
    });
  }
  if (options.gateway === undefined) {
    throw new UserError(
      `The ${name} harness needs the model gateway; it runs only where longshot starts one.`,
    );
  }
  return new CliHarness(cliAdapters[name], {
    gateway: options.gateway,
    clock: options.clock,
    author: options.author,
    checks: options.checks,
    ...(options.command === undefined ? {} : { command: options.command }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.refusalGraceMs === undefined ? {} : { refusalGraceMs: options.refusalGraceMs }),
    ...(options.gatewayPublicUrl === undefined ? {} : { publicUrl: options.gatewayPublicUrl }),
  });
}
