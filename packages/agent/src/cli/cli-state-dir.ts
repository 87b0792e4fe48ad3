import { type Sandbox, SandboxError } from "@longshot/sandbox";

/** Creates an empty directory for one CLI run under the sandbox's HOME; returns its path. */
export async function prepareStateDir(
  sandbox: Sandbox,
  name: string,
  attempt: number,
  signal: AbortSignal,
): Promise<string> {
  const result = await sandbox.exec({
    argv: [
      "sh",
      "-c",
      'dir="$HOME/.longshot-harness/$1" && rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir" && printf %s "$dir"',
      "sh",
      `${name}-${attempt}`,
    ],
    timeoutMs: 30_000,
    signal,
  });
  if (result.exitCode !== 0 || result.stdout === "") {
    throw new SandboxError(
      "exec-failed",
      `Could not create the ${name} state directory in the sandbox: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

/** Writes one file into the state directory. Throws `SandboxError` when it cannot. */
export async function writeStateFile(
  sandbox: Sandbox,
  dir: string,
  file: { readonly name: string; readonly content: string },
  signal: AbortSignal,
): Promise<void> {
  const result = await sandbox.exec({
    argv: ["sh", "-c", 'printf %s "$2" > "$1/$3"', "sh", dir, file.content, file.name],
    timeoutMs: 30_000,
    signal,
  });
  if (result.exitCode !== 0) {
    throw new SandboxError(
      "exec-failed",
      `Could not write ${file.name} into the sandbox: ${result.stderr.trim()}`,
    );
  }
}

/** Removes the state directory (config files, the CLI's sessions and logs). */
export async function removeStateDir(sandbox: Sandbox, dir: string): Promise<void> {
  await sandbox.exec({ argv: ["rm", "-rf", dir], timeoutMs: 30_000 });
}
