import type {
  RemoteCallOptions,
  RemoteRunOptions,
  RemoteRunResult,
  RemoteService,
  RemoteSession,
} from "@longshot/sandbox/remote";

/**
 * The few Modal SDK calls the provider uses, as an injectable boundary. `modalSdkClient` is the
 * real implementation over the `modal` package; tests use a recording fake that runs commands
 * locally. Implementations report a non-zero exit as a result, never as an error, and throw
 * only for transport or service failures.
 */
export interface ModalClient extends RemoteService {
  /** Starts a sandbox in the app from the image; the service terminates it after `timeoutMs`. */
  create(request: ModalCreateRequest): Promise<ModalSession>;
  /** A fresh session to a running sandbox (after a dropped connection). */
  connect(sandboxId: string, options?: ModalCallOptions): Promise<ModalSession>;
  /** Running sandboxes of the app whose tags include every entry of `tags`. */
  list(tags: Readonly<Record<string, string>>, options?: ModalCallOptions): Promise<ModalSandboxInfo[]>;
  /** Terminates a sandbox by id; false when it was already gone. */
  kill(sandboxId: string, options?: ModalCallOptions): Promise<boolean>;
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
  /** Labels for finding the sandbox again (orphan cleanup). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ModalSandboxInfo {
  readonly sandboxId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** One connection to a running Modal sandbox. */
export type ModalSession = RemoteSession;
