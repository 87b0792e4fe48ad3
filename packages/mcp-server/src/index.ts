export { type CreateMcpServerOptions, createMcpServer } from "./create-mcp-server.js";
export {
  InProcessRunService,
  type InProcessRunServiceOptions,
  type OpenedLiveRun,
  type OpenRunRequest,
} from "./in-process-run-service.js";
export type { LiveRun, RunEnding, RunService, StartRunInput } from "./run-service.js";
export { type HttpMcpServer, type HttpServeOptions, serveHttp } from "./serve-http.js";
export { type McpConnection, type StdioServeOptions, serveStdio } from "./serve-stdio.js";
export { type StartRunOptions, StartRunOptionsSchema, startOptionsToConfig } from "./start-run-options.js";
export { type ToolName, toolInputs } from "./tool-inputs.js";
