import { randomUUID } from "node:crypto";
import type { GitRunner, GitRunRequest, GitRunResult } from "@longshot/git";
import type { RemoteCommand, RemoteOutcome } from "./remote-exec.js";

/** Runs a command in the sandbox, and uploads a file to it. */
export interface RemoteRunner {
  run(command: RemoteCommand): Promise<RemoteOutcome>;
  upload(path: string, data: Uint8Array, signal: AbortSignal | undefined): Promise<void>;
}

/**
 * A `GitRunner` that runs git inside the sandbox, so `@longshot/git` operations (commit with an
 * explicit identity, bundle) work on the clone there. Standard input travels as an uploaded
 * temporary file. `baseEnv` is the environment of every git; request variables go on top.
 */
export class RemoteGitRunner implements GitRunner {
  constructor(
    private readonly remote: RemoteRunner,
    private readonly baseEnv: Readonly<Record<string, string>>,
    private readonly tmpDir: string,
  ) {}

  async run(request: GitRunRequest): Promise<GitRunResult> {
    const signal = request.signal === undefined ? {} : { signal: request.signal };
    let stdinFile: string | undefined;
    if (request.input !== undefined) {
      stdinFile = `${this.tmpDir}/.longshot-git-input-${randomUUID()}`;
      await this.remote.upload(stdinFile, Buffer.from(request.input, "utf8"), request.signal);
    }
    const argv =
      stdinFile === undefined
        ? ["git", ...request.args]
        : ["/bin/sh", "-c", 'rm -f "$0"; exec git "$@"', stdinFile, ...request.args];
    const outcome = await this.remote.run({
      argv,
      cwd: request.cwd,
      env: { ...this.baseEnv, ...request.env },
      ...(stdinFile === undefined ? {} : { stdinFile }),
      ...signal,
    });
    return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
  }
}
