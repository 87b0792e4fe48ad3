/**
 * The few calls a remote sandbox makes to its service (E2B, Modal), as an injectable boundary.
 * Implementations report a non-zero exit as a result, never as an error, and throw only for
 * transport or service failures.
 */
export interface RemoteService {
  /** A fresh session to a running sandbox (after a dropped connection). */
  connect(sandboxId: string, options?: RemoteCallOptions): Promise<RemoteSession>;
  /** Kills a sandbox by id; false when it was already gone. */
  kill(sandboxId: string, options?: RemoteCallOptions): Promise<boolean>;
}

export interface RemoteCallOptions {
  readonly signal?: AbortSignal;
}

export interface RemoteRunOptions extends RemoteCallOptions {
  readonly cwd?: string;
  readonly onStdout?: (chunk: string) => void;
  readonly onStderr?: (chunk: string) => void;
}

export interface RemoteRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One connection to a running remote sandbox. */
export interface RemoteSession {
  readonly sandboxId: string;
  /** Runs a shell command line (bash) and waits for it, with no time limit of its own. */
  run(command: string, options?: RemoteRunOptions): Promise<RemoteRunResult>;
  /** Writes a file, creating parent directories. */
  writeFile(path: string, data: Uint8Array, options?: RemoteCallOptions): Promise<void>;
  /** Reads a whole file as bytes. */
  readFile(path: string, options?: RemoteCallOptions): Promise<Uint8Array>;
}

/**
 * A remote service a provider creates machines on and finds them again by their labels (E2B
 * metadata, Modal tags): the calls both services' clients have, with the service's own request,
 * session and listing shapes.
 */
export interface LabelledRemoteService<Request, Session extends RemoteSession, Info> extends RemoteService {
  /** Starts a sandbox; the service ends it by itself after the request's lifetime. */
  create(request: Request): Promise<Session>;
  /** A fresh session to a running sandbox (after a dropped connection). */
  connect(sandboxId: string, options?: RemoteCallOptions): Promise<Session>;
  /** Running sandboxes whose labels include every entry of `labels`. */
  list(labels: Readonly<Record<string, string>>, options?: RemoteCallOptions): Promise<Info[]>;
}
