import { resolve } from "node:path";
import { type Clock, systemClock, UserError } from "@longshot/core";
import { type GitRunner, ProcessGitRunner } from "@longshot/git";
import type { Sandbox, SandboxCreateOptions, SandboxProvider } from "@longshot/sandbox";
import {
  cleanRemoteOrphans,
  createRemoteSandbox,
  type RemotePaths,
  type RemoteProviderKit,
} from "@longshot/sandbox/remote";
import type { ModalClient } from "./modal-client.js";
import { modalIsolation } from "./modal-isolation.js";
import { modalSdkClient } from "./modal-sdk-client.js";

/** Options of {@link ModalSandboxProvider}. */
export interface ModalSandboxProviderOptions {
  /** The SDK boundary; default `modalSdkClient` over the `modal` package with the token below. */
  readonly client?: ModalClient;
  /** Modal token id and secret for the default client; never put into a sandbox's environment. */
  readonly tokenId?: string;
  readonly tokenSecret?: string;
  /** App the sandboxes belong to; default `longshot`. */
  readonly appName?: string;
  /** Registry image the worker image is built from; default `node:24-bookworm-slim`. */
  readonly image?: string;
  /**
   * Host directory for bundles (created when missing). Providers with the same
   * `workspaceRoot` (and `scope`) are one family for `cleanOrphans`.
   */
  readonly workspaceRoot: string;
  /** Tag value grouping this provider's sandboxes for `cleanOrphans`; default `workspaceRoot`. */
  readonly scope?: string;
  /** Paths inside the sandbox; defaults `/root/workspace`, `/root`, `/tmp`. */
  readonly paths?: Partial<RemotePaths>;
  /** Reconnect attempts after a transient failure; default 3. */
  readonly retries?: number;
  readonly clock?: Clock;
  /** How git runs on the host; default `ProcessGitRunner`. */
  readonly gitRunner?: GitRunner;
}

/** The service terminates a sandbox this long after its wall timeout, should the orchestrator be gone. */
const lifetimeGraceMs = 60_000;

/**
 * Creates one Modal sandbox per task attempt. The task branch is (re)started at the base commit
 * in the orchestrator's repository, bundled and uploaded; the result comes back as a bundle on
 * `exportResult`. Each sandbox gets the CPU and memory of its limits (reserved and capped), a
 * lifetime of the wall timeout plus a minute, no network unless the limits allow it, and tags
 * (`longshot.sandbox`, `longshot.run`, `longshot.task`, `longshot.scope`) by which
 * `cleanOrphans` finds and terminates leftovers.
 */
export class ModalSandboxProvider implements SandboxProvider {
  readonly name = "modal";
  readonly #client: ModalClient;
  readonly #kit: RemoteProviderKit;

  /** Throws `UserError` when neither a client nor a token is given. */
  constructor(options: ModalSandboxProviderOptions) {
    if (options.client === undefined && (!options.tokenId || !options.tokenSecret)) {
      throw new UserError(
        "The Modal sandbox provider needs a token; set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET or choose another SANDBOX_PROVIDER.",
      );
    }
    this.#client =
      options.client ??
      modalSdkClient({
        tokenId: options.tokenId ?? "",
        tokenSecret: options.tokenSecret ?? "",
        ...(options.appName === undefined ? {} : { appName: options.appName }),
        ...(options.image === undefined ? {} : { image: options.image }),
      });
    const root = resolve(options.workspaceRoot);
    this.#kit = {
      provider: "modal",
      service: "Modal",
      isolation: modalIsolation,
      client: this.#client,
      root,
      scope: options.scope ?? root,
      paths: {
        workdir: options.paths?.workdir ?? "/root/workspace",
        home: options.paths?.home ?? "/root",
        tmpDir: options.paths?.tmpDir ?? "/tmp",
      },
      retries: options.retries ?? 3,
      clock: options.clock ?? systemClock,
      runner: options.gitRunner ?? new ProcessGitRunner(),
    };
  }

  create(options: SandboxCreateOptions): Promise<Sandbox> {
    return createRemoteSandbox(this.#kit, options, (tags, signal) =>
      this.#client.create({
        // Modal takes whole seconds.
        timeoutMs: Math.ceil((options.limits.wallTimeoutMs + lifetimeGraceMs) / 1000) * 1000,
        cpu: options.limits.cpuCores,
        memoryMiB: options.limits.memoryMb,
        blockNetwork: !options.limits.network,
        tags,
        ...(signal === undefined ? {} : { signal }),
      }),
    );
  }

  /** Terminates this scope's sandboxes whose id is not live and removes their host directories. */
  cleanOrphans(
    liveIds: readonly string[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly string[]> {
    const signal = options.signal === undefined ? {} : { signal: options.signal };
    return cleanRemoteOrphans(
      this.#kit,
      async (tags) =>
        (await this.#client.list(tags, signal)).map((info) => ({
          sandboxId: info.sandboxId,
          labels: info.tags,
        })),
      liveIds,
      options.signal,
    );
  }

  /** Closes the client's connections; live sandboxes are left alone (destroy them first). */
  async close(): Promise<void> {
    this.#client.close();
  }
}
