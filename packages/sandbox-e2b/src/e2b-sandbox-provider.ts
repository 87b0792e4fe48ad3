import { UserError } from "@longshot/core";
import type { Sandbox, SandboxCreateOptions, SandboxProvider } from "@longshot/sandbox";
import {
  cleanRemoteOrphans,
  createRemoteSandbox,
  type RemotePaths,
  type RemoteProviderKit,
  type RemoteProviderOptions,
  remoteProviderKit,
} from "@longshot/sandbox/remote";
import type { E2BClient } from "./e2b-client.js";
import { e2bIsolation } from "./e2b-sandbox.js";
import { e2bSdkClient } from "./e2b-sdk-client.js";

/** Paths inside an E2B sandbox. */
export type E2BPaths = RemotePaths;

/**
 * Options of {@link E2BSandboxProvider}. `scope` is the metadata value grouping its sandboxes;
 * `paths` default to `/home/user/workspace`, `/home/user`, `/tmp`.
 */
export interface E2BSandboxProviderOptions extends RemoteProviderOptions {
  /** The SDK boundary; default `e2bSdkClient({ apiKey })` over the `e2b` package. */
  readonly client?: E2BClient;
  /** E2B API key for the default client. It is never put into a sandbox's environment. */
  readonly apiKey?: string;
  /** Template name or id; default `longshot-worker` (docker/e2b.Dockerfile). */
  readonly template?: string;
}

/** Default template name. */
export const defaultE2BTemplate = "longshot-worker";

/** The service kills a sandbox this long after its wall timeout, should the orchestrator be gone. */
const lifetimeGraceMs = 60_000;

/**
 * Creates one E2B sandbox per task attempt from a template. The task branch is created at the
 * base commit in the orchestrator's repository, bundled and uploaded; the result comes back as
 * a bundle on `exportResult`. A sandbox without network may reach only the hosts of
 * `egressAllow` (the model gateway's). Sandboxes carry metadata (`longshot.sandbox`, `longshot.run`,
 * `longshot.task`, `longshot.scope`) by which `cleanOrphans` finds and kills leftovers.
 */
export class E2BSandboxProvider implements SandboxProvider {
  readonly name = "e2b";
  readonly template: string;
  readonly #client: E2BClient;
  readonly #kit: RemoteProviderKit;
  readonly #egressAllow: readonly string[];

  /** Throws `UserError` when neither a client nor an API key is given. */
  constructor(options: E2BSandboxProviderOptions) {
    if (options.client === undefined && (options.apiKey === undefined || options.apiKey === "")) {
      throw new UserError(
        "The E2B sandbox provider needs an API key; set E2B_API_KEY or choose another SANDBOX_PROVIDER.",
      );
    }
    this.#client = options.client ?? e2bSdkClient({ apiKey: options.apiKey ?? "" });
    this.template = options.template ?? defaultE2BTemplate;
    this.#egressAllow = options.egressAllow ?? [];
    this.#kit = remoteProviderKit(options, {
      provider: "e2b",
      service: "E2B",
      isolation: e2bIsolation,
      client: this.#client,
      labelsOf: (info) => info.metadata,
      defaultPaths: { workdir: "/home/user/workspace", home: "/home/user", tmpDir: "/tmp" },
      // A template fixes the VM's size: commands are held to SANDBOX_CPU_CORES inside it.
      pinCpus: true,
    });
  }

  create(options: SandboxCreateOptions): Promise<Sandbox> {
    return createRemoteSandbox(this.#kit, options, (metadata, signal) =>
      this.#client.create({
        template: this.template,
        timeoutMs: options.limits.wallTimeoutMs + lifetimeGraceMs,
        metadata,
        allowInternetAccess: options.limits.network,
        ...(options.limits.network || this.#egressAllow.length === 0 ? {} : { allowOut: this.#egressAllow }),
        ...(signal === undefined ? {} : { signal }),
      }),
    );
  }

  /** Kills this scope's sandboxes whose id is not live and removes their host directories. */
  cleanOrphans(
    liveIds: readonly string[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly string[]> {
    return cleanRemoteOrphans(this.#kit, liveIds, options.signal);
  }

  /** Nothing is pooled: live sandboxes are left alone. */
  async close(): Promise<void> {}
}
