/** Who wrote or committed a commit. Always explicit: longshot never relies on git config. */
export interface Identity {
  readonly name: string;
  readonly email: string;
}

/** One entry of `git status --porcelain`: the two status letters and the path. */
export interface StatusEntry {
  /** Status in the index (X of XY): `M`, `A`, `D`, `R`, `?` for untracked, ` ` unchanged. */
  readonly index: string;
  /** Status in the working tree (Y of XY). */
  readonly worktree: string;
  readonly path: string;
  /** For renames and copies: where the file came from. */
  readonly from?: string;
}

/** The working tree's state against HEAD. */
export interface WorkingTreeStatus {
  /** True when nothing is modified, staged or untracked (ignored files do not count). */
  readonly clean: boolean;
  readonly entries: readonly StatusEntry[];
}

/** One worktree of a repository, as `git worktree list --porcelain` reports it. */
export interface WorktreeInfo {
  readonly path: string;
  /** Checked-out commit; null for a bare repository or an unborn branch. */
  readonly head: string | null;
  /** Full ref of the checked-out branch (`refs/heads/main`); null when detached or bare. */
  readonly branch: string | null;
  readonly bare: boolean;
  readonly detached: boolean;
  readonly locked: boolean;
  readonly prunable: boolean;
}

/** A local branch and the commit it points at. */
export interface BranchInfo {
  /** Short name, such as `longshot/r1/t0001`. */
  readonly name: string;
  readonly sha: string;
}

/** One changed path of a diff, as `--name-status` reports it. */
export interface NameStatusEntry {
  /** `A` added, `M` modified, `D` deleted, `R` renamed, `C` copied, `T` type changed. */
  readonly status: string;
  readonly path: string;
  /** For renames and copies: the old path. */
  readonly from?: string;
}

/** Line counts of one file of a diff; `binary` files have zero counts. */
export interface FileStat {
  readonly path: string;
  readonly from?: string;
  readonly insertions: number;
  readonly deletions: number;
  readonly binary: boolean;
}

/** Totals and per-file counts of a diff (`--numstat`). */
export interface DiffStats {
  readonly files: number;
  readonly insertions: number;
  readonly deletions: number;
  readonly entries: readonly FileStat[];
}

/**
 * Result of `git merge-tree --write-tree`. A conflict is an expected outcome, not an error: the
 * conflicted `tree` (files with conflict markers) is written and can be read for resolution.
 */
export type MergeTreeOutcome =
  | {
      readonly kind: "clean";
      readonly tree: string;
      /** With `messages`: paths both sides changed that git merged as text ("Auto-merging"). */
      readonly autoMerged?: readonly string[];
    }
  | {
      readonly kind: "conflict";
      readonly tree: string;
      /** Paths with conflicts, each once, in git's order. */
      readonly files: readonly string[];
      /** git's informational messages, when asked for; the format varies between versions. */
      readonly messages?: string;
      /** With `messages`: paths both sides changed that git merged as text, conflicted or not. */
      readonly autoMerged?: readonly string[];
    };

/** Outcome of a compare-and-swap ref update: a lost race is a value, not an exception. */
export type UpdateRefOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** What the ref points at now (null: it does not exist). */
      readonly actual: string | null;
    };

/** Outcome of a push: rejection by the remote (stale lease, hook, non-fast-forward) is a value. */
export type PushOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A commit's metadata. */
export interface CommitInfo {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: Identity;
  /** Author date as git prints it in strict ISO 8601. */
  readonly authorDate: string;
  readonly committer: Identity;
  readonly subject: string;
  /** The full message (subject, body, trailers) without a trailing newline. */
  readonly message: string;
}

/** One commit of a log. */
export interface LogEntry {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly subject: string;
}
