import { InternalError } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import { isInside, normalizePath } from "./test-files.js";

/**
 * Makes sure a sandbox holds nothing of the hidden path: removes it from the workspace if it is
 * there (marking tracked files skip-worktree first, so the deletion is never committed and files
 * recreated there are never staged), then checks that neither the file system nor the sandbox's
 * own recursive listing shows it.
 *
 * Best used on a sandbox whose base commit already lacks the path (`withoutHiddenTests`); a
 * provider that lists index entries would still show tracked-but-removed files, and this throws
 * rather than hand a task a workspace that names the hidden tests.
 *
 * @throws InternalError when the path is still visible afterwards.
 */
export async function holdOutHiddenTests(
  sandbox: Sandbox,
  hiddenPath: string,
  signal?: AbortSignal,
): Promise<void> {
  const path = normalizePath(hiddenPath);
  const options = signal === undefined ? {} : { signal };
  const tracked = await sandbox.exec({ argv: ["git", "ls-files", "-z", "--", path], ...options });
  const files = tracked.exitCode === 0 ? tracked.stdout.split("\0").filter((file) => file !== "") : [];
  if (files.length > 0) {
    const marked = await sandbox.exec({
      argv: ["git", "update-index", "--skip-worktree", "--", ...files],
      ...options,
    });
    if (marked.exitCode !== 0) throw new InternalError(`Could not hold out ${path}: ${marked.stderr.trim()}`);
  }
  await sandbox.exec({ argv: ["rm", "-rf", "--", path], ...options });
  const exists = await sandbox.exec({ argv: ["test", "-e", path], ...options });
  const listing = await sandbox.listFiles("", { recursive: true, limit: 1_000_000, ...options });
  const shown = listing.entries.filter((entry) => isInside(entry.path, path));
  if (exists.exitCode === 0 || shown.length > 0) {
    throw new InternalError(
      `The held-out path ${path} is still visible in sandbox ${sandbox.id}; base the sandbox on a commit without it.`,
      { fields: { sandbox: sandbox.id, path, shown: shown.map((entry) => entry.path) } },
    );
  }
}
