export { type AgentLoopOptions, runAgentLoop } from "./agent-loop.js";
export { BuiltinHarness, type BuiltinHarnessOptions } from "./builtin-harness.js";
export { claudeCodeAdapter } from "./cli/claude-code-adapter.js";
export { createClaudeCodeParser } from "./cli/claude-code-events.js";
export type { CliAdapter, CliEndpoint, CliPlanInput, CliRunPlan } from "./cli/cli-adapter.js";
export type { CliEvent, CliEventParser } from "./cli/cli-event.js";
export { type CliGateway, CliHarness, type CliHarnessOptions } from "./cli/cli-harness.js";
export { codexAdapter } from "./cli/codex-adapter.js";
export { createCodexParser } from "./cli/codex-events.js";
export { openCodeAdapter } from "./cli/opencode-adapter.js";
export { createOpenCodeParser } from "./cli/opencode-events.js";
export { piAdapter } from "./cli/pi-adapter.js";
export { createPiParser } from "./cli/pi-events.js";
export {
  applyCompaction,
  type CompactionPlan,
  type CompactionPolicy,
  digestTurns,
  estimateTokens,
  planCompaction,
  renderTranscript,
} from "./compaction.js";
export {
  cliAdapters,
  cliInstallCommand,
  createHarness,
  type HarnessFactoryOptions,
} from "./create-harness.js";
export {
  type FinishInput,
  FinishInputSchema,
  failedHandoff,
  reconcileHandoff,
  validateHandoff,
} from "./handoff.js";
export type {
  AgentTask,
  AttemptResult,
  Harness,
  HarnessLimits,
  HarnessName,
  HarnessRunInput,
} from "./harness.js";
export { McpToolSet, type McpToolSetOptions, toolName as mcpToolName } from "./mcp/mcp-tool-set.js";
export { isInScope, outOfScope } from "./scope.js";
export type { AgentTool, JsonSchema, ToolContext, ToolResult } from "./tools/agent-tool.js";
export { builtinTools } from "./tools/builtin-tools.js";
export { type CheckCommand, runChecksTool, runTool } from "./tools/command-tools.js";
export { defineTool, parseArguments, type ToolDefinition, toJsonSchema } from "./tools/define-tool.js";
export { editFileTool, listFilesTool, readFileTool, searchTool, writeFileTool } from "./tools/file-tools.js";
export { finishTool, finishToolName } from "./tools/finish-tool.js";
export { defaultTruncateLimits, type TruncateLimits, truncateOutput } from "./truncate-output.js";
