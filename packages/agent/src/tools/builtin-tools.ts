import type { AgentTool } from "./agent-tool.js";
import { type CheckCommand, runChecksTool, runTool } from "./command-tools.js";
import { editFileTool, listFilesTool, readFileTool, searchTool, writeFileTool } from "./file-tools.js";
import { finishTool } from "./finish-tool.js";

/** The built-in agent's tools, in the order the model sees them. */
export function builtinTools(checks: readonly CheckCommand[]): AgentTool[] {
  return [
    readFileTool,
    writeFileTool,
    editFileTool,
    listFilesTool,
    searchTool,
    runTool,
    runChecksTool(checks),
    finishTool,
  ];
}
