import type { Logger } from "@longshot/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  McpError,
  type ServerNotification,
  type ServerRequest,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { describeArgumentError } from "./argument-errors.js";
import { guarded, toolError } from "./tool-result.js";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

type Handler<Shape extends z.ZodRawShape> = (
  args: z.output<z.ZodObject<Shape>>,
  extra: ToolExtra,
) => Promise<CallToolResult> | CallToolResult;

interface Entry {
  readonly schema: z.ZodObject;
  readonly handler: (args: unknown, extra: ToolExtra) => Promise<CallToolResult> | CallToolResult;
}

/**
 * Registers tools with the SDK's `McpServer` (which publishes their names, descriptions and
 * JSON Schemas in `tools/list`) and answers `tools/call` itself, so that invalid arguments get
 * one sentence naming each offending field and the fix, instead of the SDK's generic
 * "Input validation error". Handlers' `UserError`s become tool errors too (see `guarded`).
 */
export class ToolRegistry {
  readonly #server: McpServer;
  readonly #logger: Logger;
  readonly #tools = new Map<string, Entry>();

  constructor(server: McpServer, logger: Logger) {
    this.#server = server;
    this.#logger = logger;
  }

  define<Shape extends z.ZodRawShape>(
    name: string,
    config: {
      readonly title: string;
      readonly description: string;
      readonly inputSchema: Shape;
      readonly annotations?: ToolAnnotations;
    },
    handler: Handler<Shape>,
  ): void {
    const schema = z.object(config.inputSchema);
    const entry: Entry = {
      schema,
      handler: (args, extra) => handler(args as z.output<typeof schema>, extra),
    };
    this.#tools.set(name, entry);
    // Widened on purpose: the SDK only publishes this schema; `#call` validates and types the arguments.
    const inputSchema: z.ZodObject = schema;
    this.#server.registerTool(
      name,
      { ...config, inputSchema, annotations: { title: config.title, ...config.annotations } },
      (args, extra) => this.#call(name, entry, args, extra),
    );
  }

  /** Takes over `tools/call`; call once, after every `define`. */
  install(): void {
    this.#server.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const entry = this.#tools.get(request.params.name);
      if (!entry) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Tool ${request.params.name} not found; the tools are ${[...this.#tools.keys()].join(", ")}.`,
        );
      }
      return this.#call(request.params.name, entry, request.params.arguments ?? {}, extra);
    });
  }

  async #call(name: string, entry: Entry, args: unknown, extra: ToolExtra): Promise<CallToolResult> {
    const parsed = entry.schema.safeParse(args, { reportInput: true });
    if (!parsed.success) return toolError(describeArgumentError(name, parsed.error));
    return guarded(this.#logger, name, () => entry.handler(parsed.data, extra));
  }
}
