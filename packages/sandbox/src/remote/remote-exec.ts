import { randomUUID } from "node:crypto";
import type { Clock } from "@longshot/core";
import type { SessionKeeper } from "./session-keeper.js";
import { shellCommand, shellQuote } from "./shell-quote.js";

/** One process to run in the remote sandbox. */
export interface RemoteCommand {
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** The complete environment (run under `env -i`); the sandbox's default when absent. */
  readonly env?: Readonly<Record<string, string>>;
  /** A file in the sandbox fed to standard input; /dev/null otherwise. */
  readonly stdinFile?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onStdout?: (chunk: string) => void;
  readonly onStderr?: (chunk: string) => void;
  /** Safe to run again after a dropped connection (reads); default false. */
  readonly idempotent?: boolean;
}

export interface RemoteOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process group was killed for the timeout or the abort signal. */
  readonly stop: "timeout" | "abort" | undefined;
}

/**
 * Runs `argv` in the sandbox in a new session whose process-group id is written to a file,
 * so a timeout or an abort kills the whole tree with `kill -9 -pgid` from a second command.
 * Rejects only when the service fails (after the keeper's reconnects).
 */
export async function runRemote(
  keeper: SessionKeeper,
  command: RemoteCommand,
  clock: Clock,
  tmpDir: string,
): Promise<RemoteOutcome> {
  const pidFile = `${tmpDir}/.longshot-exec-${randomUUID()}`;
  const clean =
    command.env === undefined
      ? []
      : ["env", "-i", ...Object.entries(command.env).map(([name, value]) => `${name}=${value}`)];
  const wrapper = 'echo $$ >"$0"; "$@"; status=$?; rm -f "$0"; exit $status';
  const line = `${shellCommand([...clean, "setsid", "-w", "/bin/sh", "-c", wrapper, pidFile, ...command.argv])} <${shellQuote(command.stdinFile ?? "/dev/null")}`;
  let stop: "timeout" | "abort" | undefined;
  const timers = new AbortController();
  const kill = (reason: "timeout" | "abort"): void => {
    if (stop !== undefined) return;
    stop = reason;
    const script = `for i in $(seq 1 20); do [ -s ${shellQuote(pidFile)} ] && break; sleep 0.05; done; kill -9 "-$(cat ${shellQuote(pidFile)})" 2>/dev/null; rm -f ${shellQuote(pidFile)}`;
    void keeper.call((session) => session.run(script), { idempotent: true }).catch(() => undefined);
  };
  const onAbort = (): void => kill("abort");
  command.signal?.addEventListener("abort", onAbort, { once: true });
  if (command.signal?.aborted) onAbort();
  if (command.timeoutMs !== undefined) {
    clock.sleep(command.timeoutMs, timers.signal).then(
      () => kill("timeout"),
      () => undefined,
    );
  }
  try {
    const result = await keeper.call(
      (session) =>
        session.run(line, {
          ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
          ...(command.onStdout === undefined ? {} : { onStdout: command.onStdout }),
          ...(command.onStderr === undefined ? {} : { onStderr: command.onStderr }),
        }),
      { idempotent: command.idempotent === true },
    );
    return { ...result, stop };
  } finally {
    timers.abort();
    command.signal?.removeEventListener("abort", onAbort);
  }
}
