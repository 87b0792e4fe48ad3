import type { GitRunner, GitRunRequest, GitRunResult } from "@longshot/git";
import { SandboxError } from "@longshot/sandbox";
import type { CaptureCommand } from "./container-exec.js";

/**
 * A `GitRunner` that runs git inside the sandbox's container, so `@longshot/git` operations
 * (commit with an explicit identity, bundle) work on a clone that only the container can see.
 * `baseEnv` is the container's command environment; request variables are added on top.
 */
export class ContainerGitRunner implements GitRunner {
  constructor(
    private readonly capture: CaptureCommand,
    private readonly baseEnv: Readonly<Record<string, string>>,
  ) {}

  async run(request: GitRunRequest): Promise<GitRunResult> {
    const result = await this.capture({
      argv: ["git", ...request.args],
      cwd: request.cwd,
      env: { ...this.baseEnv, ...request.env },
      ...(request.input === undefined ? {} : { stdin: Buffer.from(request.input, "utf8") }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    if (result.exitCode === null) {
      throw new SandboxError("exec-failed", `git ${request.args[0] ?? ""} inside the sandbox was killed.`);
    }
    return {
      exitCode: result.exitCode,
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
    };
  }
}
