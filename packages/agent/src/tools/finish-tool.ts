import { FinishInputSchema } from "../handoff.js";
import type { AgentTool } from "./agent-tool.js";
import { defineTool } from "./define-tool.js";

/** Name of the tool that ends an attempt. */
export const finishToolName = "finish";

/** `finish`: the agent's structured handoff; a valid call ends the loop. */
export const finishTool: AgentTool = defineTool({
  name: finishToolName,
  description:
    "Finish the task with a structured handoff. Call it exactly once, when done or when you cannot go on. Your changes are committed for you.",
  input: FinishInputSchema,
  async execute(input) {
    return { ok: true, output: "Handoff recorded.", handoff: input };
  },
});
