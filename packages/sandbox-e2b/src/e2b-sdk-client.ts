import { ALL_TRAFFIC, CommandExitError, Sandbox } from "e2b";
import type {
  E2BCallOptions,
  E2BClient,
  E2BCreateRequest,
  E2BRunOptions,
  E2BRunResult,
  E2BSandboxInfo,
  E2BSession,
} from "./e2b-client.js";

/** Connection settings of the real E2B service. */
export interface E2BSdkOptions {
  /** The E2B API key. It is given to the SDK only and never enters a sandbox's environment. */
  readonly apiKey: string;
  /** API domain; the SDK default (`e2b.app`) when absent. */
  readonly domain?: string;
  /** API base URL (a self-hosted or test endpoint); derived from `domain` when absent. */
  readonly apiUrl?: string;
  /** Timeout of each API request; the SDK default (60 s) when absent. */
  readonly requestTimeoutMs?: number;
}

/** An `E2BClient` over the `e2b` SDK. */
export function e2bSdkClient(options: E2BSdkOptions): E2BClient {
  const connection = {
    apiKey: options.apiKey,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  };
  const call = (extra: E2BCallOptions = {}) => ({
    ...connection,
    ...(extra.signal === undefined ? {} : { signal: extra.signal }),
  });
  return {
    create: async (request: E2BCreateRequest) =>
      sessionOf(
        await Sandbox.create(request.template, {
          ...call(request),
          timeoutMs: request.timeoutMs,
          metadata: { ...request.metadata },
          allowInternetAccess: request.allowInternetAccess,
          ...(request.allowOut === undefined || request.allowInternetAccess
            ? {}
            : { network: { allowOut: [...request.allowOut], denyOut: [ALL_TRAFFIC] } }),
          envs: {},
        }),
      ),
    connect: async (sandboxId, extra) => sessionOf(await Sandbox.connect(sandboxId, call(extra))),
    list: async (metadata, extra) => {
      const paginator = Sandbox.list({ ...connection, query: { metadata: { ...metadata } } });
      const found: E2BSandboxInfo[] = [];
      while (paginator.hasNext) {
        if (extra?.signal?.aborted) break;
        for (const info of await paginator.nextItems()) {
          found.push({ sandboxId: info.sandboxId, metadata: info.metadata });
        }
      }
      return found;
    },
    kill: (sandboxId, extra) => Sandbox.kill(sandboxId, call(extra)),
  };
}

function sessionOf(sandbox: Sandbox): E2BSession {
  return {
    sandboxId: sandbox.sandboxId,
    run: async (command: string, options: E2BRunOptions = {}): Promise<E2BRunResult> => {
      try {
        const result = await sandbox.commands.run(command, {
          timeoutMs: 0,
          ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
          ...(options.onStdout === undefined ? {} : { onStdout: options.onStdout }),
          ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
      } catch (error) {
        if (error instanceof CommandExitError) {
          return { exitCode: error.exitCode, stdout: error.stdout, stderr: error.stderr };
        }
        throw error;
      }
    },
    writeFile: async (path, data, options = {}) => {
      const copy = new Uint8Array(data.byteLength);
      copy.set(data);
      await sandbox.files.write(
        path,
        copy.buffer,
        options.signal === undefined ? {} : { signal: options.signal },
      );
    },
    readFile: (path, options = {}) =>
      sandbox.files.read(path, {
        format: "bytes",
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    kill: async (options = {}) => {
      await sandbox.kill(options.signal === undefined ? {} : { signal: options.signal });
    },
  };
}
