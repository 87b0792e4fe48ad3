import type {
  LabelledRemoteService,
  RemoteCallOptions,
  RemoteRunOptions,
  RemoteRunResult,
  RemoteSession,
} from "@longshot/sandbox/remote";

/**
 * The few Modal SDK calls the provider uses, as an injectable boundary: sandboxes start in the
 * app from the image, are labelled by tags, and are terminated by the service after `timeoutMs`.
 * `modalSdkClient` is the real implementation over the `modal` package; tests use a recording
 * fake that runs commands locally. Implementations report a non-zero exit as a result, never as
 * an error, and throw only for transport or service failures.
 */
export interface ModalClient
  extends LabelledRemoteService<ModalCreateRequest, ModalSession, ModalSandboxInfo> {
  /**
   * One authenticated call to the service (looks the app up, creating it when missing).
   * Throws when the credentials are refused or the service cannot be reached.
   */
  check(options?: ModalCallOptions): Promise<void>;
  /** Closes the client's connections; running sandboxes are left alone. */
  close(): void;
}

export type ModalCallOptions = RemoteCallOptions;
export type ModalRunOptions = RemoteRunOptions;
export type ModalRunResult = RemoteRunResult;

export interface ModalCreateRequest extends ModalCallOptions {
  /** Lifetime in milliseconds, a whole number of seconds. */
  readonly timeoutMs: number;
  /** CPU cores, reserved and capped. */
  readonly cpu: number;
  /** Memory in MiB, reserved and capped. */
  readonly memoryMiB: number;
  /** No network at all (`blockNetwork`) unless the task's limits allow it. */
  readonly blockNetwork: boolean;
  /**
   * With `blockNetwork` false: the only hosts the sandbox may reach (Modal's outbound domain and
   * CIDR allow-lists). Absent: the whole network.
   */
  readonly allowHosts?: readonly string[];
  /** Labels for finding the sandbox again (orphan cleanup). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ModalSandboxInfo {
  readonly sandboxId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One connection to a running Modal sandbox. */
export type ModalSession = RemoteSession;
