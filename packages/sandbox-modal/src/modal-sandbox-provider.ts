import { UserError } from "@longshot/core";
import type { Sandbox, SandboxCreateOptions, SandboxProvider } from "@longshot/sandbox";
import {
  cleanRemoteOrphans,
  createRemoteSandbox,
  type RemoteProviderKit,
  type RemoteProviderOptions,
  remoteProviderKit,
} from "@longshot/sandbox/remote";
import type { ModalClient } from "./modal-client.js";
import { modalIsolation } from "./modal-isolation.js";
import { modalSdkClient } from "./modal-sdk-client.js";

/**
 * Options of {@link ModalSandboxProvider}. `scope` is the tag value grouping its sandboxes;
 * `paths` default to `/root/workspace`, `/root`, `/tmp`.
 */
export interface ModalSandboxProviderOptions extends RemoteProviderOptions {
  /** The SDK boundary; default `modalSdkClient` over the `modal` package with the token below. */
  readonly client?: ModalClient;
  /** Modal token id and secret for the default client; never put into a sandbox's environment. */
  readonly tokenId?: string;
  readonly tokenSecret?: string;
  /** App the sandboxes belong to; default `longshot`. */
  readonly appName?: string;
  /** Registry image the worker image is built from; default `node:24-bookworm-slim`. */
  readonly image?: string;
  /** Dockerfile commands the default client adds to the worker image (a CLI harness's install). */
  readonly extraLayer?: readonly string[];
}

/** The service terminates a sandbox this long after its wall timeout, should the orchestrator be gone. */
const lifetimeGraceMs = 60_000;

/**
 * Creates one Modal sandbox per task attempt. The task branch is (re)started at the base commit
 * in the orchestrator's repository, bundled and uploaded; the result comes back as a bundle on
 * `exportResult`. Each sandbox gets the CPU and memory of its limits (reserved and capped), a
 * lifetime of the wall timeout plus a minute, no network unless the limits allow it (or only
 * the hosts of `egressAllow`, the model gateway's), and tags
 * (`longshot.sandbox`, `longshot.run`, `longshot.task`, `longshot.scope`) by which
 * `cleanOrphans` finds and terminates leftovers.
 */
export class ModalSandboxProvider implements SandboxProvider {
  readonly name = "modal";
  readonly #client: ModalClient;
  readonly #kit: RemoteProviderKit;
  readonly #egressAllow: readonly string[];

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
        ...(options.extraLayer === undefined ? {} : { extraLayer: options.extraLayer }),
      });
    this.#egressAllow = options.egressAllow ?? [];
    this.#kit = remoteProviderKit(options, {
      provider: "modal",
      service: "Modal",
      isolation: modalIsolation,
      client: this.#client,
      labelsOf: (info) => info.tags,
      defaultPaths: { workdir: "/root/workspace", home: "/root", tmpDir: "/tmp" },
    });
  }

  create(options: SandboxCreateOptions): Promise<Sandbox> {
    return createRemoteSandbox(this.#kit, options, (tags, signal) =>
      this.#client.create({
        // Modal takes whole seconds.
        timeoutMs: Math.ceil((options.limits.wallTimeoutMs + lifetimeGraceMs) / 1000) * 1000,
        cpu: options.limits.cpuCores,
        memoryMiB: options.limits.memoryMb,
        // Without network, a sandbox may still reach the hosts of `egressAllow` (and nothing else).
        blockNetwork: !options.limits.network && this.#egressAllow.length === 0,
        ...(options.limits.network || this.#egressAllow.length === 0
          ? {}
          : { allowHosts: this.#egressAllow }),
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
    return cleanRemoteOrphans(this.#kit, liveIds, options.signal);
  }

  /** Closes the client's connections; live sandboxes are left alone (destroy them first). */
  async close(): Promise<void> {
    this.#client.close();
  }
}
