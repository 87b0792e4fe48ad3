import { spawn } from "node:child_process";
import type { RemoteRunOptions, RemoteRunResult } from "../../remote/remote-service.js";

/** The environment every command of an offline service fake starts with (like a fresh VM's). */
const fakeBaseEnv = { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", HOME: "/nonexistent-fake-home" };

/** How an offline fake of a cloud sandbox service runs one command on this machine. */
export interface LocalRemoteCommand {
  /**
   * False for a sandbox created without internet access: the command runs in a network
   * namespace of its own (bubblewrap, the rest of the machine as is), so the fake enforces what
   * the service would. Throws when bubblewrap cannot do that here.
   */
  readonly network: boolean;
}

/**
 * Runs a command of an offline service fake (E2B, Modal) with bash on this machine, streaming
 * its output; exit codes follow the services' (128 + signal when killed).
 */
export function runRemoteCommandLocally(
  command: string,
  options: RemoteRunOptions,
  how: LocalRemoteCommand,
): Promise<RemoteRunResult> {
  const argv = how.network
    ? ["/bin/bash", "-c", command]
    : [
        "bwrap",
        "--dev-bind",
        "/",
        "/",
        "--unshare-net",
        "--die-with-parent",
        "--",
        "/bin/bash",
        "-c",
        command,
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? "/",
      env: fakeBaseEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    child.on("error", (error) =>
      reject(
        how.network
          ? error
          : new Error(`The offline fake needs bubblewrap to run without network: ${error.message}`),
      ),
    );
    child.on("close", (code, signal) => {
      resolve({
        exitCode: code ?? (signal === null ? 1 : 128 + (signal === "SIGKILL" ? 9 : 15)),
        stdout,
        stderr,
      });
    });
  });
}
