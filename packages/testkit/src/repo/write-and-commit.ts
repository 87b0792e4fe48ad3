import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runGit } from "./run-git.js";

/** File contents by repository-relative path; null deletes the file. */
export type FileChanges = Readonly<Record<string, string | null>>;

/** Writes (or, for null, deletes) `files` in the working tree at `repoPath`. */
export async function writeFiles(repoPath: string, files: FileChanges): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(repoPath, path);
    if (content === null) {
      await rm(target, { force: true });
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
}

/**
 * Writes `files` in the working tree at `repoPath`, stages everything and commits it with the
 * test identity on the checked-out branch (an empty commit when nothing changed). Returns the sha.
 */
export async function writeAndCommit(repoPath: string, files: FileChanges, message: string): Promise<string> {
  await writeFiles(repoPath, files);
  await runGit(repoPath, ["add", "--all"]);
  await runGit(repoPath, ["commit", "--quiet", "--allow-empty", "--no-verify", "-m", message]);
  return runGit(repoPath, ["rev-parse", "HEAD"]);
}
