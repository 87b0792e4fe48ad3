import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { UserError } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ToolContext } from "../tools/agent-tool.js";
import { McpToolSet, toolName } from "./mcp-tool-set.js";

const fixture = fileURLToPath(new URL("../__fixtures__/mcp-server.mjs", import.meta.url));

function context(): ToolContext {
  return {
    sandbox: {} as Sandbox,
    signal: new AbortController().signal,
    recordWrite: () => undefined,
    reportActivity: () => undefined,
  };
}

describe("McpToolSet against a real stdio MCP server", () => {
  let toolSet: McpToolSet;

  beforeAll(async () => {
    toolSet = await McpToolSet.connect({
      servers: [{ name: "calc", command: process.execPath, args: [fixture] }],
      callTimeoutMs: 500,
      signal: new AbortController().signal,
    });
  });
  afterAll(async () => {
    await toolSet.close();
  });

  function tool(name: string) {
    const found = toolSet.tools.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no tool ${name}`);
    return found;
  }

  it("offers the server's tools namespaced, with their input schema", () => {
    expect(toolSet.tools.map((candidate) => candidate.name).sort()).toEqual([
      "calc__add",
      "calc__fail",
      "calc__slow",
    ]);
    expect(tool("calc__add").parameters).toMatchObject({ type: "object", required: ["a", "b"] });
    expect(tool("calc__add").description).toContain("Add two numbers");
  });

  it("calls a tool and returns its text", async () => {
    expect(await tool("calc__add").call('{"a":2,"b":40}', context())).toEqual({ ok: true, output: "sum=42" });
  });

  it("checks arguments against the input schema before calling", async () => {
    const result = await tool("calc__add").call('{"a":"two","b":40}', context());
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Invalid arguments: .*a/);
  });

  it("answers arguments that are not JSON by asking for a JSON object", async () => {
    const result = await tool("calc__add").call('{"a": 2, "b":', context());
    expect(result).toEqual({
      ok: false,
      output: expect.stringMatching(/^Invalid arguments: not valid JSON \(.+\)\. Send a JSON object\.$/),
    });
  });

  it("reports a tool's own error result as a failed call", async () => {
    expect(await tool("calc__fail").call('{"reason":"nope"}', context())).toEqual({
      ok: false,
      output: "failed: nope",
    });
  });

  it("ends a call that runs past the time limit as a failed result, and the server keeps working", async () => {
    const result = await tool("calc__slow").call('{"ms":5000}', context());
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/timed out/i);
    expect(await tool("calc__add").call('{"a":1,"b":1}', context())).toEqual({ ok: true, output: "sum=2" });
  });
});

describe("McpToolSet against a streamable HTTP MCP server", () => {
  let http: Server;
  let url: string;

  beforeAll(async () => {
    http = createServer((request, response) => {
      const server = new McpServer({ name: "web", version: "1.0.0" });
      server.registerTool(
        "shout",
        { description: "Upper-cases text", inputSchema: { text: z.string() } },
        async ({ text }) => ({
          content: [{ type: "text", text: text.toUpperCase() }],
        }),
      );
      const transport = new StreamableHTTPServerTransport({});
      response.on("close", () => {
        void transport.close();
        void server.close();
      });
      void server.connect(transport).then(() => transport.handleRequest(request, response));
    });
    http.listen(0, "127.0.0.1");
    await new Promise((resolve) => http.once("listening", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it("lists and calls its tools over HTTP", async () => {
    const toolSet = await McpToolSet.connect({
      servers: [{ name: "web", url }],
      signal: new AbortController().signal,
    });
    try {
      expect(toolSet.tools.map((tool) => tool.name)).toEqual(["web__shout"]);
      expect(await toolSet.tools[0]?.call('{"text":"hi"}', context())).toEqual({ ok: true, output: "HI" });
    } finally {
      await toolSet.close();
    }
  });
});

describe("McpToolSet configuration", () => {
  it("names a server that cannot start", async () => {
    const connecting = McpToolSet.connect({
      servers: [{ name: "ghost", command: "/nonexistent/mcp-server", args: [] }],
      signal: new AbortController().signal,
    });
    await expect(connecting).rejects.toBeInstanceOf(UserError);
    await expect(connecting).rejects.toThrow(/"ghost"/);
  });

  it("keeps tool names within what chat APIs accept", () => {
    expect(toolName("my.server", "do thing")).toBe("my_server__do_thing");
    expect(toolName("s".repeat(40), "t".repeat(40))).toHaveLength(64);
  });
});
