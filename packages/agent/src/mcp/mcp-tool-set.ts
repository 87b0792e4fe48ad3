import { AbortError, type McpServerConfig, messageOf, UserError } from "@longshot/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { JsonSchemaType } from "@modelcontextprotocol/sdk/validation/types.js";
import type { AgentTool, ToolContext, ToolResult } from "../tools/agent-tool.js";
import { parseJsonArguments } from "../tools/define-tool.js";
import { renderMcpContent } from "./render-mcp-content.js";

/** How MCP servers are started and called. */
export interface McpToolSetOptions {
  readonly servers: readonly McpServerConfig[];
  /** Time limit of one tool call. Default 60 s. */
  readonly callTimeoutMs?: number;
  /** Time limit of connecting to one server and listing its tools. Default 30 s. */
  readonly connectTimeoutMs?: number;
  /** Environment of stdio servers (the SDK's safe default set when absent). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory of stdio servers. */
  readonly cwd?: string;
  readonly signal: AbortSignal;
}

/** Longest tool name chat APIs accept. */
const maxToolName = 64;

/**
 * Tools from MCP servers (stdio commands or streamable HTTP URLs), offered to the built-in agent
 * as `<server>__<tool>`. Arguments are checked against the server's input schema before a call;
 * calls are time-limited; server errors and `isError` results become failed tool results. The
 * tools run in the orchestrator, like the MCP servers themselves.
 */
export class McpToolSet {
  readonly tools: readonly AgentTool[];
  readonly #clients: readonly Client[];

  private constructor(tools: readonly AgentTool[], clients: readonly Client[]) {
    this.tools = tools;
    this.#clients = clients;
  }

  /**
   * Connects to every server and lists its tools. Throws `UserError` naming the server when one
   * cannot be started, connected or listed (nothing is left running then), `AbortError` when
   * `signal` aborts.
   */
  static async connect(options: McpToolSetOptions): Promise<McpToolSet> {
    const clients: Client[] = [];
    const tools: AgentTool[] = [];
    try {
      for (const server of options.servers) {
        const client = new Client({ name: "longshot", version: "0.1.0" });
        const timeout = options.connectTimeoutMs ?? 30_000;
        try {
          await client.connect(transportFor(server, options), { timeout, signal: options.signal });
          clients.push(client);
          const listed = await listAllTools(client, timeout, options.signal);
          for (const tool of listed)
            tools.push(mcpTool(server.name, tool, client, options.callTimeoutMs ?? 60_000));
        } catch (error) {
          await client.close().catch(() => undefined);
          if (options.signal.aborted) throw new AbortError(undefined, { cause: error });
          throw new UserError(
            `The MCP server "${server.name}" could not be used: ${messageOf(error)}. Check MCP_SERVERS.`,
            {
              cause: error,
            },
          );
        }
      }
    } catch (error) {
      await Promise.allSettled(clients.map((client) => client.close()));
      throw error;
    }
    return new McpToolSet(tools, clients);
  }

  /** Closes every connection and stops stdio servers. Idempotent. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#clients.map((client) => client.close()));
  }
}

interface ListedTool {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

async function listAllTools(client: Client, timeout: number, signal: AbortSignal): Promise<ListedTool[]> {
  const tools: ListedTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout, signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

function transportFor(server: McpServerConfig, options: McpToolSetOptions): Transport {
  if ("url" in server) return new StreamableHTTPClientTransport(new URL(server.url));
  return new StdioClientTransport({
    command: server.command,
    args: [...server.args],
    stderr: "ignore",
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

const validators = new AjvJsonSchemaValidator();

function mcpTool(serverName: string, listed: ListedTool, client: Client, timeout: number): AgentTool {
  const name = toolName(serverName, listed.name);
  const validate = validators.getValidator<Record<string, unknown>>(listed.inputSchema as JsonSchemaType);
  return {
    name,
    description: `[${serverName}] ${listed.description ?? listed.name}`,
    parameters: listed.inputSchema,
    async call(rawArguments: string, context: ToolContext): Promise<ToolResult> {
      const input = parseJsonArguments(rawArguments);
      if (!input.ok) return { ok: false, output: input.error };
      const checked = validate(input.value);
      if (!checked.valid) return { ok: false, output: `Invalid arguments: ${checked.errorMessage}` };
      try {
        const result = await client.callTool({ name: listed.name, arguments: checked.data }, undefined, {
          timeout,
          signal: context.signal,
        });
        return { ok: result.isError !== true, output: renderMcpContent(result) };
      } catch (error) {
        if (context.signal.aborted) throw new AbortError(undefined, { cause: error });
        return { ok: false, output: `Error: the MCP tool ${name} failed: ${messageOf(error)}` };
      }
    },
  };
}

/** `<server>__<tool>` with characters chat APIs reject replaced, cut to 64 characters. */
export function toolName(server: string, tool: string): string {
  return `${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, maxToolName);
}
