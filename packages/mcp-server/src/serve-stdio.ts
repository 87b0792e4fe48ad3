import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { type CreateMcpServerOptions, createMcpServer } from "./create-mcp-server.js";
import type { RunService } from "./run-service.js";

export interface StdioServeOptions extends CreateMcpServerOptions {
  /** Default `process.stdin`. */
  readonly stdin?: Readable;
  /** Default `process.stdout`; nothing else may write to it while the server runs. */
  readonly stdout?: Writable;
}

/** A served MCP connection. */
export interface McpConnection {
  /** Resolves when the client disconnects (stdin ends) or `close` is called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves MCP over stdio (newline-delimited JSON-RPC on stdin/stdout) until stdin ends. Runs the
 * client started keep running in the service when the connection closes; the caller decides
 * whether to drain them (see `InProcessRunService.close`).
 */
export async function serveStdio(
  service: RunService,
  options: StdioServeOptions = {},
): Promise<McpConnection> {
  const stdin = options.stdin ?? process.stdin;
  const server = createMcpServer(service, options);
  let resolve: () => void = () => {};
  const closed = new Promise<void>((done) => {
    resolve = done;
  });
  await server.connect(new StdioServerTransport(stdin, options.stdout ?? process.stdout));
  const onClose = server.server.onclose;
  server.server.onclose = () => {
    onClose?.();
    resolve();
  };
  const end = (): void => void server.close();
  stdin.once("end", end);
  stdin.once("close", end);
  return {
    closed,
    close: async () => {
      stdin.off("end", end);
      stdin.off("close", end);
      await server.close();
      resolve();
    },
  };
}
