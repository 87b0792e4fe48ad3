import type { Config, Logger } from "@longshot/core";
import type { SandboxProvider, SocketMount } from "./sandbox.js";

/**
 * What a sandbox kind's checks are given: the configuration and how the app chose the kind. The
 * app fills it the same way for every kind, so a kind's package holds all that is its own.
 */
export interface SandboxCheckContext {
  readonly config: Config;
  /** Where LONGSHOT_BWRAP and HOME are read. */
  readonly env: NodeJS.ProcessEnv;
  /** The PATH of local sandboxes and checks (SANDBOX_PATH first, then longshot's Node). */
  readonly path: string;
  /** How the configuration chose this kind, as messages name it: `SANDBOX_PROVIDER=e2b` or `SANDBOX_ROUTES (sandbox e2b)`. */
  readonly via: string;
  /**
   * For a kind whose sandboxes reach the model gateway by URL, when an external CLI harness
   * runs: GATEWAY_PUBLIC_URL's host, the one host their egress may reach. Null otherwise.
   */
  readonly gatewayHost: string | null;
}

/** What a kind's provider is built from, beyond the checks' context. */
export interface SandboxSetup extends SandboxCheckContext {
  readonly logger: Logger;
  /** The repository the run builds; never bound into a sandbox. */
  readonly repo: string;
  /** This kind's own directory (created) under the repository's workspace root. */
  readonly workspaceRoot: string;
  /** The model gateway's socket(s), for kinds that share this machine's kernel. */
  readonly sockets: readonly SocketMount[];
  /** How many sandboxes to keep ready (the worker count; 0 for a one-off check). */
  readonly warmPoolSize: number;
  /** False only for SANDBOX_PROVIDER=none: agent commands run unisolated, the user's explicit choice. */
  readonly isolate: boolean;
  /** The shell command that installs the run's external CLI harness at its tested version; null for the built-in harness. */
  readonly cliInstall: string | null;
}

/** Whether a kind can contain agent code here, in one sentence, and the limits it enforces. */
export interface IsolationVerdict {
  readonly status: "isolated" | "unavailable";
  /** What contains agent code, or (unavailable) why nothing can and how to fix it. */
  readonly detail: string;
  /** The resource limits enforced and not, for doctor. */
  readonly limits: string;
}

/** A cloud service behind a kind: the settings that hold its key, and one call that uses it. */
export interface SandboxService {
  /** As users know it: `E2B`, `Modal`. */
  readonly name: string;
  /** The settings its key is in, as a sentence names them: `E2B_API_KEY`. */
  readonly variables: string;
  /** The key's values (to mask in messages), or null when one is missing. */
  credentials(config: Config): readonly string[] | null;
  /** One authenticated call; throws when the service refuses the key or cannot be reached. */
  probe(config: Config, signal: AbortSignal): Promise<void>;
}

/**
 * Everything the app needs of one sandbox kind, exported by the kind's own package and found
 * through `sandboxKinds` in `@longshot/core`: how to build its provider, whether it isolates on
 * this machine, its cloud service (if any), and what to do when a CLI harness does not run in it.
 */
export interface SandboxBackend {
  /**
   * Builds the kind's provider. The app has checked `service`'s credentials first; anything else
   * missing is a `UserError` of one sentence.
   */
  create(setup: SandboxSetup): Promise<SandboxProvider>;
  /** Whether it can contain agent code here (for a service, once its credentials are set). */
  isolation(check: SandboxCheckContext): Promise<IsolationVerdict>;
  readonly service?: SandboxService;
  /** How a message names one of its sandboxes: `Docker sandbox (image longshot-worker:latest)`. */
  describe(config: Config): string;
  /** The fix when an external CLI (`program`, npm package `npmPackage`) does not run in its sandboxes. */
  cliFix(config: Config, cli: { readonly program: string; readonly npmPackage: string }): string;
}

/**
 * When `backend`'s cloud service has no key in `config`: the sentence naming the settings to set,
 * as the preflight, the isolation check and provider creation word it (`SANDBOX_PROVIDER=e2b
 * needs E2B_API_KEY; set it or choose --sandbox local`); null when its key is set or it needs none.
 */
export function missingCredentials(backend: SandboxBackend, config: Config, via: string): string | null {
  const { service } = backend;
  if (service === undefined || service.credentials(config) !== null) return null;
  const them = service.variables.includes(" and ") ? "them" : "it";
  return `${via} needs ${service.variables}; set ${them} or choose --sandbox local`;
}

/** What doctor says of the disk limits of sandboxes that share this machine's disk. */
export function diskLimits(config: Pick<Config, "SANDBOX_DISK_MB">): string {
  return `private /tmp and $HOME of ${config.SANDBOX_DISK_MB} MB per sandbox, no file over ${config.SANDBOX_DISK_MB} MB`;
}
