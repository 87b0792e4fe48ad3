import { GitCommandError, type GitRunner } from "@longshot/git";

export interface PlumbingOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  readonly signal?: AbortSignal | undefined;
  /** Exit codes that are answers, not failures; default 0 only. */
  readonly accept?: readonly number[];
}

/** git commands `@longshot/git` does not wrap yet (the reconciler's own worktree, first-parent walks, listings). */
export class Plumbing {
  readonly #runner: GitRunner;

  constructor(runner: GitRunner) {
    this.#runner = runner;
  }

  async run(
    args: readonly string[],
    options: PlumbingOptions,
  ): Promise<{ exitCode: number; stdout: string }> {
    const result = await this.#runner.run({
      args,
      cwd: options.cwd,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!(options.accept ?? [0]).includes(result.exitCode)) {
      throw new GitCommandError(args, options.cwd, result.exitCode, result.stderr);
    }
    return { exitCode: result.exitCode, stdout: result.stdout };
  }

  /** `git rev-list --first-parent --reverse from..to`: the commits `to` added on its own line, oldest first. */
  async firstParentCommits(cwd: string, from: string, to: string, signal?: AbortSignal): Promise<string[]> {
    const result = await this.run(["rev-list", "--first-parent", "--reverse", `${from}..${to}`], {
      cwd,
      signal,
    });
    return result.stdout.split("\n").filter((line) => line !== "");
  }

  /** Parents of a commit, in order. */
  async parents(cwd: string, commit: string, signal?: AbortSignal): Promise<string[]> {
    const result = await this.run(["rev-list", "--parents", "-n", "1", commit], { cwd, signal });
    return result.stdout.trim().split(" ").slice(1);
  }
}
