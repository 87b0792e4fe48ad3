import type {
  LabelledRemoteService,
  RemoteCallOptions,
  RemoteRunOptions,
  RemoteRunResult,
  RemoteSession,
} from "@longshot/sandbox/remote";

/**
 * The few E2B SDK calls the provider uses, as an injectable boundary: sandboxes start from a
 * template, are labelled by metadata, and are killed by the service after `timeoutMs`.
 * `e2bSdkClient` is the real implementation over the `e2b` package; tests use a recording fake
 * that runs commands locally. Implementations report a non-zero exit as a result, never as an
 * error, and throw only for transport or service failures.
 */
export interface E2BClient extends LabelledRemoteService<E2BCreateRequest, E2BSession, E2BSandboxInfo> {}

export type E2BCallOptions = RemoteCallOptions;

export interface E2BCreateRequest extends E2BCallOptions {
  readonly template: string;
  readonly timeoutMs: number;
  /** Labels for finding the sandbox again (orphan cleanup). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly allowInternetAccess: boolean;
  /**
   * With `allowInternetAccess` false: the only hosts the sandbox may reach (E2B's
   * `network.allowOut`, everything else in `denyOut`). Absent: none.
   */
  readonly allowOut?: readonly string[];
}

export interface E2BSandboxInfo {
  readonly sandboxId: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export type E2BRunOptions = RemoteRunOptions;
export type E2BRunResult = RemoteRunResult;

/** One connection to a running sandbox. */
export interface E2BSession extends RemoteSession {
  /** Kills the sandbox. */
  kill(options?: E2BCallOptions): Promise<void>;
}
