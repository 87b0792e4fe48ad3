import { execFile } from "node:child_process";

/** The identity every test commit is made with (tests never rely on a global git config). */
export const testIdentity = { name: "Longshot Test", email: "test@longshot.invalid" } as const;

/** Output of one git command run by {@link tryGit}. */
export interface GitOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const identityConfig = [
  "-c",
  `user.name=${testIdentity.name}`,
  "-c",
  `user.email=${testIdentity.email}`,
  "-c",
  "commit.gpgsign=false",
  "-c",
  "init.defaultBranch=main",
];

/**
 * Runs `git <args>` in `cwd` with the test identity and never throws for a non-zero exit.
 * Uses node:child_process directly so testkit does not depend on @longshot/git.
 */
export function tryGit(cwd: string, args: readonly string[], input?: string): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...identityConfig, ...args],
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(error);
          return;
        }
        resolve({ exitCode: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs `git <args>` in `cwd` and returns stdout with the trailing newline removed; throws on failure. */
export async function runGit(cwd: string, args: readonly string[], input?: string): Promise<string> {
  const output = await tryGit(cwd, args, input);
  if (output.exitCode !== 0) {
    throw new Error(`git ${args.join(" ")} failed (${output.exitCode}) in ${cwd}: ${output.stderr.trim()}`);
  }
  return output.stdout.replace(/\n$/, "");
}
