import { isIP } from "node:net";
import { type App, type Image, ModalClient as ModalSdk, NotFoundError, type Sandbox } from "modal";
import type {
  ModalClient,
  ModalCreateRequest,
  ModalRunOptions,
  ModalRunResult,
  ModalSandboxInfo,
  ModalSession,
} from "./modal-client.js";

/** Connection settings of the real Modal service. */
export interface ModalSdkOptions {
  /** Token id and secret. Given to the SDK only; they never enter a sandbox's environment. */
  readonly tokenId: string;
  readonly tokenSecret: string;
  /** App the sandboxes belong to (created when missing); default `longshot`. */
  readonly appName?: string;
  /** Registry image the worker image is built from; default `node:24-bookworm-slim`. */
  readonly image?: string;
  /** Dockerfile commands added after `modalWorkerLayer` (the CLI harness's install). */
  readonly extraLayer?: readonly string[];
  /** Modal environment; the profile's default when absent. */
  readonly environment?: string;
  /** API endpoint; the SDK default when absent. */
  readonly endpoint?: string;
  /** Timeout of each API request; default 30 s. */
  readonly requestTimeoutMs?: number;
}

/** Default app name of longshot's sandboxes. */
export const defaultModalApp = "longshot";
/** Default base image of the worker image. */
export const defaultModalImage = "node:24-bookworm-slim";

/**
 * What the worker image adds to the base image: the tools tasks need (git, ripgrep, a compiler,
 * Python, `setsid`/`kill` from procps and util-linux), as docker/Dockerfile does.
 */
export const modalWorkerLayer: readonly string[] = [
  "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential ca-certificates git procps ripgrep python3 util-linux && rm -rf /var/lib/apt/lists/*",
  "RUN printf '[safe]\\n\\tdirectory = *\\n[init]\\n\\tdefaultBranch = main\\n' >/etc/gitconfig",
];

/** A `ModalClient` over the `modal` SDK. */
export function modalSdkClient(options: ModalSdkOptions): ModalClient {
  const sdk = new ModalSdk({
    tokenId: options.tokenId,
    tokenSecret: options.tokenSecret,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
  const appName = options.appName ?? defaultModalApp;
  let app: Promise<App> | undefined;
  let image: Image | undefined;
  const appOf = (): Promise<App> => {
    app ??= sdk.apps.fromName(appName, { createIfMissing: true });
    app.catch(() => {
      app = undefined;
    });
    return app;
  };
  const imageOf = (): Image => {
    image ??= sdk.images
      .fromRegistry(options.image ?? defaultModalImage)
      .dockerfileCommands([...modalWorkerLayer, ...(options.extraLayer ?? [])]);
    return image;
  };
  return {
    create: async (request: ModalCreateRequest) => {
      const sandbox = await abortable(
        (async () =>
          sdk.sandboxes.create(await appOf(), imageOf(), {
            cpu: request.cpu,
            cpuLimit: request.cpu,
            memoryMiB: request.memoryMiB,
            memoryLimitMiB: request.memoryMiB,
            timeoutMs: request.timeoutMs,
            blockNetwork: request.blockNetwork,
            ...(request.blockNetwork || request.allowHosts === undefined
              ? {}
              : modalAllowLists(request.allowHosts)),
            tags: { ...request.tags },
          }))(),
        request.signal,
      );
      return sessionOf(sandbox);
    },
    connect: async (sandboxId, extra) =>
      sessionOf(await abortable(sdk.sandboxes.fromId(sandboxId), extra?.signal)),
    list: async (tags, extra) => {
      const found: ModalSandboxInfo[] = [];
      const { appId } = await appOf();
      for await (const sandbox of sdk.sandboxes.list({ appId, tags: { ...tags } })) {
        if (extra?.signal?.aborted) break;
        found.push({ sandboxId: sandbox.sandboxId, tags: await sandbox.getTags() });
      }
      return found;
    },
    kill: async (sandboxId, extra) => {
      try {
        const sandbox = await abortable(sdk.sandboxes.fromId(sandboxId), extra?.signal);
        if ((await sandbox.poll()) !== null) return false;
        await sandbox.terminate();
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
    check: async (extra) => {
      await abortable(appOf(), extra?.signal);
    },
    close: () => sdk.close(),
  };
}

/** Modal's outbound allow-lists for `hosts`: addresses as CIDRs, names as domains (both set, so nothing else passes). */
export function modalAllowLists(hosts: readonly string[]): {
  outboundCidrAllowlist: string[];
  outboundDomainAllowlist: string[];
} {
  const address = (host: string): boolean => isIP(host) !== 0;
  return {
    outboundCidrAllowlist: hosts.filter(address).map((host) => `${host}/${isIP(host) === 6 ? 128 : 32}`),
    outboundDomainAllowlist: hosts.filter((host) => !address(host)),
  };
}

function sessionOf(sandbox: Sandbox): ModalSession {
  return {
    sandboxId: sandbox.sandboxId,
    run: async (command: string, options: ModalRunOptions = {}): Promise<ModalRunResult> => {
      const process = await sandbox.exec(["/bin/bash", "-c", command], {
        mode: "text",
        stdout: "pipe",
        stderr: "pipe",
        ...(options.cwd === undefined ? {} : { workdir: options.cwd }),
      });
      const [stdout, stderr] = await Promise.all([
        drain(process.stdout, options.onStdout),
        drain(process.stderr, options.onStderr),
      ]);
      return { exitCode: await process.wait(), stdout, stderr };
    },
    writeFile: async (path, data) => {
      await sandbox.filesystem.writeBytes(data, path);
    },
    readFile: (path) => sandbox.filesystem.readBytes(path),
  };
}

async function drain(
  stream: ReadableStream<string>,
  onChunk: ((chunk: string) => void) | undefined,
): Promise<string> {
  let text = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += value;
    onChunk?.(value);
  }
}

/** Rejects with the signal's reason when it aborts first; the call itself runs on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
