import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitOutput, runGit, tryGit } from "./run-git.js";
import { type FileChanges, writeAndCommit } from "./write-and-commit.js";

/** Options of {@link createTempRepo}. */
export interface TempRepoOptions {
  /** Files of the first commit; default a README. An empty object gives an empty commit. */
  readonly files?: FileChanges;
  /** The branch created and checked out; default `main`. */
  readonly branch?: string;
  /** Message of the first commit; default "initial". */
  readonly message?: string;
}

/** A real git repository in a temporary directory, with the test identity for commits. */
export interface TempRepo {
  /** The repository's working tree. */
  readonly path: string;
  /** The first commit's sha. */
  readonly initial: string;
  /** Runs git in the repository; returns trimmed stdout, throws on a non-zero exit. */
  git(args: readonly string[], input?: string): Promise<string>;
  /** Runs git in the repository; never throws for a non-zero exit. */
  tryGit(args: readonly string[], input?: string): Promise<GitOutput>;
  /** The sha `ref` names (default HEAD). */
  sha(ref?: string): Promise<string>;
  /** Writes or deletes files and commits them on the checked-out branch; returns the sha. */
  commit(files: FileChanges, message: string): Promise<string>;
  /** A path in the same temporary directory (not created), removed by cleanup. */
  tempPath(name: string): string;
  /** Makes a bare clone of this repository next to it (removed by cleanup); returns its path. */
  cloneBare(name?: string): Promise<string>;
  /** Removes the temporary directory and everything in it. */
  cleanup(): Promise<void>;
}

/**
 * Creates a temporary repository (`git init -b <branch>`) with one commit. Always call
 * `cleanup()` (for example in `afterEach`).
 */
export async function createTempRepo(options: TempRepoOptions = {}): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), "longshot-repo-"));
  const path = join(root, "repo");
  const branch = options.branch ?? "main";
  await runGit(root, ["init", "--quiet", "-b", branch, path]);
  const initial = await writeAndCommit(
    path,
    options.files ?? { "README.md": "# test\n" },
    options.message ?? "initial",
  );
  return {
    path,
    initial,
    git: (args, input) => runGit(path, args, input),
    tryGit: (args, input) => tryGit(path, args, input),
    sha: (ref = "HEAD") => runGit(path, ["rev-parse", "--verify", `${ref}^{commit}`]),
    commit: (files, message) => writeAndCommit(path, files, message),
    tempPath: (name) => join(root, name),
    cloneBare: async (name = "remote.git") => {
      const target = join(root, name);
      await runGit(root, ["clone", "--quiet", "--bare", path, target]);
      return target;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
