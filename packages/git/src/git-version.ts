import { GitVersionError } from "./errors.js";

/** Plumbing a git version offers that longshot can use. */
export interface GitCapabilities {
  /** `git merge-tree --write-tree` (git 2.38). */
  readonly mergeTreeWriteTree: boolean;
  /** `git merge-tree --merge-base=<commit>` (git 2.40). */
  readonly mergeTreeMergeBase: boolean;
  /** `git replay` (git 2.44). */
  readonly replay: boolean;
  /** `git cat-file --batch-command` (git 2.36). */
  readonly catFileBatchCommand: boolean;
  /** `--format=%aI` writes UTC as `Z` rather than `+00:00` (git 2.45). */
  readonly isoUtcAsZ: boolean;
}

/** A parsed `git --version`. */
export interface GitVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The full line git printed, for messages. */
  readonly text: string;
  readonly capabilities: GitCapabilities;
}

/**
 * Parses the output of `git --version` ("git version 2.39.5", "git version 2.45.1.windows.1",
 * "git version 2.39.3 (Apple Git-146)"). Throws `GitVersionError` when there is no version.
 */
export function parseGitVersion(output: string): GitVersion {
  const text = output.trim();
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) {
    throw new GitVersionError(`Could not read the git version from "${text}"; install git 2.38 or newer.`, {
      fields: { output: text },
    });
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const patch = Number(match[3] ?? "0");
  return { major, minor, patch, text, capabilities: capabilitiesOf(major, minor) };
}

/** What git `major.minor` can do. */
export function capabilitiesOf(major: number, minor: number): GitCapabilities {
  const atLeast = (wantMajor: number, wantMinor: number): boolean =>
    major > wantMajor || (major === wantMajor && minor >= wantMinor);
  return {
    mergeTreeWriteTree: atLeast(2, 38),
    mergeTreeMergeBase: atLeast(2, 40),
    replay: atLeast(2, 44),
    catFileBatchCommand: atLeast(2, 36),
    isoUtcAsZ: atLeast(2, 45),
  };
}
