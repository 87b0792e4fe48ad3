// A tiny MCP server over stdio for the agent's tests: `add` sums numbers, `fail` reports a
// tool error, `slow` waits (for call time limits).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "fixture", version: "1.0.0" });

server.registerTool(
  "add",
  { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() } },
  async ({ a, b }) => ({ content: [{ type: "text", text: `sum=${a + b}` }] }),
);

server.registerTool(
  "fail",
  { description: "Always fails", inputSchema: { reason: z.string() } },
  async ({ reason }) => ({ content: [{ type: "text", text: `failed: ${reason}` }], isError: true }),
);

server.registerTool(
  "slow",
  { description: "Waits before answering", inputSchema: { ms: z.number() } },
  async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: "text", text: "slept" }] };
  },
);

await server.connect(new StdioServerTransport());
