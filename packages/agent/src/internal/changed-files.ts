import type { Sandbox } from "@longshot/sandbox";

/**
 * Files that differ from the sandbox's base commit: tracked changes (committed or not) plus
 * untracked files that are not ignored, as git inside the sandbox reports them. Returns null when
 * git cannot answer there, so the caller can fall back to what the tools recorded.
 */
export async function changedFiles(sandbox: Sandbox, signal: AbortSignal): Promise<string[] | null> {
  try {
    const tracked = await sandbox.exec({
      argv: ["git", "diff", "--name-only", "-z", sandbox.baseCommit, "--"],
      timeoutMs: 60_000,
      signal,
    });
    const untracked = await sandbox.exec({
      argv: ["git", "ls-files", "--others", "--exclude-standard", "-z"],
      timeoutMs: 60_000,
      signal,
    });
    if (tracked.exitCode !== 0 || untracked.exitCode !== 0) return null;
    const files = new Set([...splitNul(tracked.stdout), ...splitNul(untracked.stdout)]);
    return [...files].sort();
  } catch (error) {
    if (signal.aborted) throw error;
    return null;
  }
}

function splitNul(text: string): string[] {
  return text.split("\0").filter((entry) => entry !== "");
}
