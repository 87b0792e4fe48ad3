import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { type Clock, systemClock } from "@longshot/core";
import type { CommitWriter } from "./commit-writer.js";
import { GitCommandError, GitUsageError, GitVersionError } from "./errors.js";
import { GitPlumbing } from "./git-plumbing.js";
import type { GitRunner, GitRunResult } from "./git-runner.js";
import { type GitCapabilities, type GitVersion, parseGitVersion } from "./git-version.js";
import { CommitTreeCommitWriter } from "./internal/commit-tree-commit-writer.js";
import { HashObjectCommitWriter } from "./internal/hash-object-commit-writer.js";
import { identityEnvironment } from "./internal/identity-environment.js";
import {
  commitInfoFormat,
  isObjectId,
  logFormat,
  parseBranches,
  parseCommitInfo,
  parseLog,
  parseMergeTree,
  parseNameStatus,
  parseNumstat,
  parseStatus,
  parseWorktreeList,
  splitCommitRecords,
  splitNul,
} from "./internal/parse.js";
import { fetchRefspecs, lsRemoteRef, openRemote, type RemoteCall } from "./internal/remote-access.js";
import { type CheckedRunOptions, runChecked } from "./internal/run-checked.js";
import { inTurn } from "./internal/worktree-turns.js";
import { ProcessGitRunner } from "./process-git-runner.js";
import { pushRef } from "./push-ref.js";
import type {
  BranchInfo,
  CommitInfo,
  DiffStats,
  Identity,
  LogEntry,
  MergeTreeOutcome,
  NameStatusEntry,
  PushOutcome,
  UpdateRefOutcome,
  WorkingTreeStatus,
  WorktreeInfo,
} from "./types.js";

/** Options of {@link Git}. */
export interface GitOptions {
  /** How git is run; default {@link ProcessGitRunner}. */
  readonly runner?: GitRunner;
  /** Used to pause between retries of a ref update that met a concurrent writer's lock. */
  readonly clock?: Clock;
}

/** Options shared by every operation. */
export interface SignalOption {
  readonly signal?: AbortSignal;
}

/** Limits a diff or a log to some paths (pathspecs relative to the repository root). */
export interface PathsOption {
  readonly paths?: readonly string[];
}

/** Options of {@link Git.commitAll} and {@link Git.commitTree}. */
export interface CommitOptions extends SignalOption {
  /** Committer, when it differs from the author. */
  readonly committer?: Identity;
  /** Author and committer date; default now. A fixed date makes the commit id reproducible. */
  readonly date?: Date;
}

const lockRetries = 5;
const lockRetryDelayMs = 5;

/**
 * Typed git operations on one repository (or worktree) directory. Every method is async, takes
 * an optional AbortSignal (cancelling kills the git process and rejects with `AbortError`) and
 * throws `GitCommandError` (command, exit code, stderr in `fields`) when git fails
 * unexpectedly. Expected outcomes (a missing ref, a conflict, a lost compare-and-swap, a
 * rejected push) are returned as values. Identities are always passed explicitly: nothing
 * depends on the user's git configuration.
 */
export class Git {
  /** The directory every command runs in. */
  readonly path: string;
  readonly #runner: GitRunner;
  readonly #clock: Clock;
  #version: Promise<GitVersion> | undefined;

  constructor(path: string, options: GitOptions = {}) {
    this.path = path;
    this.#runner = options.runner ?? new ProcessGitRunner();
    this.#clock = options.clock ?? systemClock;
  }

  /** A `Git` for another directory (a worktree, a clone) sharing this one's runner and clock. */
  at(path: string): Git {
    return new Git(path, { runner: this.#runner, clock: this.#clock });
  }

  /** Parsed `git --version` with capabilities; detected once per instance. */
  version(options: SignalOption = {}): Promise<GitVersion> {
    if (this.#version === undefined) {
      const pending = this.#run(["--version"], options).then((result) => parseGitVersion(result.stdout));
      pending.catch(() => {
        this.#version = undefined;
      });
      this.#version = pending;
    }
    return this.#version;
  }

  /** Throws `GitVersionError` naming the version needed when git lacks `capability`. */
  async requireCapability(capability: keyof GitCapabilities, options: SignalOption = {}): Promise<void> {
    const version = await this.version(options);
    if (!version.capabilities[capability]) {
      const needed = {
        mergeTreeWriteTree: "2.38",
        mergeTreeMergeBase: "2.40",
        replay: "2.44",
        catFileBatchCommand: "2.36",
        isoUtcAsZ: "2.45",
      }[capability];
      throw new GitVersionError(
        `${version.text} lacks ${capability} (needs git ${needed} or newer); upgrade git.`,
        { fields: { version: version.text, capability } },
      );
    }
  }

  /** True when the directory exists and is inside a git repository (bare or not). */
  async isRepository(options: SignalOption = {}): Promise<boolean> {
    const result = await this.#run(["rev-parse", "--git-dir"], { ...options, accept: [0, 128] });
    return result.exitCode === 0;
  }

  /** The object id `rev` names, or null when it names nothing. */
  async revParse(rev: string, options: SignalOption = {}): Promise<string | null> {
    const result = await this.#run(["rev-parse", "--verify", "--quiet", "--end-of-options", rev], {
      ...options,
      accept: [0, 1, 128],
    });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  /** The commit `rev` resolves to (peeling tags), or null when it names no commit. */
  resolveCommit(rev: string, options: SignalOption = {}): Promise<string | null> {
    return this.revParse(`${rev}^{commit}`, options);
  }

  /** Short name of the checked-out branch; null when HEAD is detached. */
  async currentBranch(options: SignalOption = {}): Promise<string | null> {
    const result = await this.#run(["symbolic-ref", "--quiet", "--short", "HEAD"], {
      ...options,
      accept: [0, 1],
    });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  /** Porcelain status of the working tree, untracked files included, ignored files not. */
  async status(options: SignalOption = {}): Promise<WorkingTreeStatus> {
    const result = await this.#run(["status", "--porcelain=v1", "-z", "--untracked-files=all"], options);
    const entries = parseStatus(result.stdout);
    return { clean: entries.length === 0, entries };
  }

  /**
   * Adds a worktree at `path` checked out at `commit`: detached, on the new branch `branch`
   * (which must not exist yet), or on the existing branch `onBranch` (its tip; `commit` is then
   * ignored). With `noCheckout`, only registers it (HEAD set, index and files empty).
   *
   * Registrations of one repository take turns in this process (see {@link inTurn}); the
   * checkout of the files, the slow part, runs afterwards, outside the turn.
   */
  async addWorktree(
    path: string,
    options: SignalOption & {
      readonly commit: string;
      readonly branch?: string;
      readonly onBranch?: string;
      readonly noCheckout?: boolean;
    },
  ): Promise<void> {
    const target =
      options.onBranch !== undefined
        ? [path, options.onBranch]
        : options.branch !== undefined
          ? ["-b", options.branch, path, options.commit]
          : ["--detach", path, options.commit];
    await inTurn(this.path, () =>
      this.#run(["worktree", "add", "--quiet", "--no-checkout", ...target], options),
    );
    if (options.noCheckout === true) return;
    try {
      await this.at(resolve(this.path, path)).#run(["reset", "--hard", "--quiet"], options);
    } catch (error) {
      await this.removeWorktree(path).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Removes the worktree at `path`, discarding any changes in it (in turn with the repository's
   * other registration changes; deleting the directory first keeps the turn short).
   */
  async removeWorktree(path: string, options: SignalOption = {}): Promise<void> {
    await inTurn(this.path, () => this.#run(["worktree", "remove", "--force", "--force", path], options));
  }

  /** Forgets worktrees whose directories are gone (in turn with other registration changes). */
  async pruneWorktrees(options: SignalOption = {}): Promise<void> {
    await inTurn(this.path, () => this.#run(["worktree", "prune"], options));
  }

  /** Every worktree of the repository, the main one first. */
  async listWorktrees(options: SignalOption = {}): Promise<WorktreeInfo[]> {
    const result = await this.#run(["worktree", "list", "--porcelain", "-z"], options);
    return parseWorktreeList(result.stdout);
  }

  /** Creates branch `name` at `commit`; with `force`, moves it when it exists. */
  async createBranch(
    name: string,
    commit: string,
    options: SignalOption & { readonly force?: boolean } = {},
  ): Promise<void> {
    const force = options.force === true ? ["--force"] : [];
    await this.#run(["branch", "--no-track", ...force, "--", name, commit], options);
  }

  /** Deletes branch `name` whether or not it is merged. */
  async deleteBranch(name: string, options: SignalOption = {}): Promise<void> {
    await this.#run(["branch", "-D", "--", name], options);
  }

  /** Local branches whose names start with `prefix` (all when empty), sorted by name. */
  async listBranches(prefix = "", options: SignalOption = {}): Promise<BranchInfo[]> {
    const result = await this.#run(
      ["for-each-ref", "--format=%(refname:short)%00%(objectname)", "--sort=refname", "refs/heads/"],
      options,
    );
    return parseBranches(result.stdout).filter((branch) => branch.name.startsWith(prefix));
  }

  /**
   * Stages every change (new, modified, deleted files) and commits it with `author` (and
   * `committer`, default the author), without hooks or signing. Returns the new commit's id,
   * or null when there was nothing to commit.
   */
  async commitAll(message: string, author: Identity, options: CommitOptions = {}): Promise<string | null> {
    await this.#run(["add", "--all"], options);
    const staged = await this.#run(["diff", "--cached", "--quiet"], { ...options, accept: [0, 1] });
    if (staged.exitCode === 0) return null;
    await this.#run(["commit", "--quiet", "--no-verify", "--no-gpg-sign", "--file=-"], {
      ...options,
      input: message,
      env: identityEnvironment(author, options.committer ?? author, options.date),
    });
    const head = await this.#run(["rev-parse", "HEAD"], options);
    return head.stdout.trim();
  }

  /** Unified diff from `from` to `to` (commits or trees); only of `paths` when given. */
  async diff(from: string, to: string, options: SignalOption & PathsOption = {}): Promise<string> {
    const result = await this.#run(
      ["diff", "--no-color", "--no-ext-diff", "--find-renames", from, to, "--", ...(options.paths ?? [])],
      options,
    );
    return result.stdout;
  }

  /** Changed paths from `from` to `to`, renames detected. */
  async diffNameStatus(from: string, to: string, options: SignalOption = {}): Promise<NameStatusEntry[]> {
    const result = await this.#run(
      ["diff", "--name-status", "-z", "--find-renames", from, to, "--"],
      options,
    );
    return parseNameStatus(result.stdout);
  }

  /**
   * Every file `to` adds or changes relative to `from` (deletions left out), with the size in
   * bytes of its new content, in path order. Sizes come from the object store, so a huge file
   * is never read.
   */
  async changedFileSizes(
    from: string,
    to: string,
    options: SignalOption = {},
  ): Promise<{ readonly path: string; readonly bytes: number }[]> {
    const tree = await this.#run(
      ["diff-tree", "-r", "-z", "--no-renames", "--diff-filter=d", from, to],
      options,
    );
    const fields = tree.stdout.split("\0");
    const entries: { path: string; blob: string }[] = [];
    for (let index = 0; index + 1 < fields.length; index += 2) {
      const meta = fields[index]!.split(" ");
      const blob = meta[3];
      const mode = meta[1];
      // Submodule links (mode 160000) have no blob here.
      if (blob !== undefined && mode !== "160000") entries.push({ path: fields[index + 1]!, blob });
    }
    if (entries.length === 0) return [];
    const sizes = await this.#run(["cat-file", "--batch-check=%(objectsize)"], {
      ...options,
      input: `${entries.map((entry) => entry.blob).join("\n")}\n`,
    });
    const bytes = sizes.stdout.split("\n");
    return entries.map((entry, index) => ({ path: entry.path, bytes: Number(bytes[index] ?? "0") || 0 }));
  }

  /** Files changed, lines inserted and deleted from `from` to `to`. */
  async diffStats(from: string, to: string, options: SignalOption = {}): Promise<DiffStats> {
    const result = await this.#run(["diff", "--numstat", "-z", "--find-renames", from, to, "--"], options);
    const entries = parseNumstat(result.stdout);
    return {
      files: entries.length,
      insertions: entries.reduce((sum, entry) => sum + entry.insertions, 0),
      deletions: entries.reduce((sum, entry) => sum + entry.deletions, 0),
      entries,
    };
  }

  /**
   * Merges `theirs` into `ours` without touching any working tree (`git merge-tree
   * --write-tree`, git 2.38+). The merge base is computed by git unless `mergeBase` is given
   * (git 2.40+). A conflict is an outcome carrying the conflicted tree and files; unrelated
   * histories or bad revisions throw `GitCommandError`.
   */
  async mergeTree(
    ours: string,
    theirs: string,
    options: SignalOption & { readonly messages?: boolean; readonly mergeBase?: string } = {},
  ): Promise<MergeTreeOutcome> {
    await this.requireCapability("mergeTreeWriteTree", options);
    const args = ["merge-tree", "--write-tree", "--name-only", "-z"];
    args.push(options.messages === true ? "--messages" : "--no-messages");
    if (options.mergeBase !== undefined) {
      await this.requireCapability("mergeTreeMergeBase", options);
      args.push(`--merge-base=${options.mergeBase}`);
    }
    args.push(ours, theirs);
    const result = await this.#run(args, { ...options, accept: [0, 1] });
    const parsed = parseMergeTree(result.stdout);
    if (parsed === null) throw new GitCommandError(args, this.path, result.exitCode, result.stderr);
    // The message type is git's stable short string in -z output; "Auto-merging" marks a text merge.
    const autoMerged =
      options.messages === true
        ? {
            autoMerged: [
              ...new Set(
                parsed.messages
                  .filter((message) => message.type === "Auto-merging")
                  .flatMap((message) => message.paths),
              ),
            ],
          }
        : {};
    if (result.exitCode === 0) return { kind: "clean", tree: parsed.tree, ...autoMerged };
    const messages =
      options.messages === true
        ? { messages: parsed.messages.map((message) => message.text).join("\n") }
        : {};
    return { kind: "conflict", tree: parsed.tree, files: parsed.files, ...messages, ...autoMerged };
  }

  /** The best common ancestor of `a` and `b`, or null when they share no history. */
  async mergeBase(a: string, b: string, options: SignalOption = {}): Promise<string | null> {
    const result = await this.#run(["merge-base", a, b], { ...options, accept: [0, 1] });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  /** True when `ancestor` is `descendant` or one of its ancestors. */
  async isAncestor(ancestor: string, descendant: string, options: SignalOption = {}): Promise<boolean> {
    const result = await this.#run(["merge-base", "--is-ancestor", ancestor, descendant], {
      ...options,
      accept: [0, 1],
    });
    return result.exitCode === 0;
  }

  /** Creates a commit of `tree` with `parents` (in order) and returns its id; no ref moves. */
  async commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    author: Identity,
    options: CommitOptions = {},
  ): Promise<string> {
    const parentArgs = parents.flatMap((parent) => ["-p", parent]);
    const result = await this.#run(["commit-tree", "--no-gpg-sign", tree, ...parentArgs, "-F", "-"], {
      ...options,
      input: message,
      env: identityEnvironment(author, options.committer ?? author, options.date),
    });
    return result.stdout.trim();
  }

  /**
   * Opens a {@link CommitWriter}. When the runner offers sessions, commits go through one
   * long-lived `git hash-object` (a pipe round trip per commit instead of a process); otherwise
   * each commit is a `git commit-tree`. Both write identical commits.
   */
  async openCommitWriter(options: SignalOption = {}): Promise<CommitWriter> {
    if (this.#runner.openSession === undefined) return new CommitTreeCommitWriter(this);
    const scratch = await this.#run(["rev-parse", "--git-path", `longshot-scratch-${randomUUID()}`], options);
    const session = this.#runner.openSession({
      args: ["hash-object", "--stdin-paths", "-t", "commit", "-w"],
      cwd: this.path,
    });
    return new HashObjectCommitWriter(session, resolve(this.path, scratch.stdout.trim()), this.path);
  }

  /**
   * Opens a {@link GitPlumbing} on this directory (object reads, tree writes and ref updates
   * over long-lived git processes), or null when the runner cannot keep git running (it offers no
   * streams) or git is older than 2.36.
   */
  async openPlumbing(options: SignalOption & { readonly idleMs?: number } = {}): Promise<GitPlumbing | null> {
    if (this.#runner.openStream === undefined) return null;
    const version = await this.version(options);
    if (!version.capabilities.catFileBatchCommand) return null;
    return new GitPlumbing({
      runner: this.#runner,
      cwd: this.path,
      capabilities: version.capabilities,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    });
  }

  /**
   * Compare-and-swap: moves the full ref `ref` (`refs/...`) to `next` only if it still points at
   * `expected` (null: only if it does not exist yet). Returns `{ ok: false, actual }` when
   * another writer got there first; a momentary lock held by a concurrent writer is retried.
   */
  async updateRef(
    ref: string,
    next: string,
    expected: string | null,
    options: SignalOption & { readonly message?: string } = {},
  ): Promise<UpdateRefOutcome> {
    if (!ref.startsWith("refs/")) {
      throw new GitUsageError(`updateRef needs a full ref name starting with refs/, got "${ref}".`, {
        fields: { ref },
      });
    }
    const args = ["update-ref", "-m", options.message ?? "longshot", ref, next, expected ?? ""];
    for (let attempt = 0; ; attempt++) {
      const result = await this.#run(args, { ...options, accept: [0, 1, 128] });
      if (result.exitCode === 0) return { ok: true };
      const actual = await this.revParse(ref, options);
      if (actual !== expected) return { ok: false, actual };
      if (attempt >= lockRetries) throw new GitCommandError(args, this.path, result.exitCode, result.stderr);
      await this.#clock.sleep(lockRetryDelayMs * (attempt + 1), options.signal);
    }
  }

  /** Contents of `path` at `rev` (a commit or tree) as UTF-8, or null when no file is there. */
  async readFile(rev: string, path: string, options: SignalOption = {}): Promise<string | null> {
    const args = ["cat-file", "blob", `${rev}:${path}`];
    const result = await this.#run(args, { ...options, accept: [0, 128] });
    if (result.exitCode === 0) return result.stdout;
    if ((await this.revParse(rev, options)) === null) {
      throw new GitCommandError(args, this.path, result.exitCode, result.stderr);
    }
    return null;
  }

  /** Every file path at `rev` (a commit or tree), recursively, in git's order. */
  async listFiles(rev: string, options: SignalOption = {}): Promise<string[]> {
    const result = await this.#run(["ls-tree", "-r", "--name-only", "-z", rev], options);
    return splitNul(result.stdout);
  }

  /**
   * Commits reachable from `to` but not from `from` (all of `to`'s history when null), newest
   * first; only those that changed one of `paths` when given.
   */
  async log(from: string | null, to: string, options: SignalOption & PathsOption = {}): Promise<LogEntry[]> {
    const range = from === null ? to : `${from}..${to}`;
    const args = ["log", "-z", `--format=${logFormat}`, range, "--", ...(options.paths ?? [])];
    const result = await this.#run(args, options);
    return parseLog(result.stdout);
  }

  /** Metadata of the commit `rev` names, or null when it names no commit. */
  async showCommit(rev: string, options: SignalOption = {}): Promise<CommitInfo | null> {
    const args = [
      "log",
      "-1",
      "--no-walk",
      `--format=${commitInfoFormat}`,
      "--end-of-options",
      `${rev}^{commit}`,
      "--",
    ];
    const result = await this.#run(args, { ...options, accept: [0, 128] });
    return result.exitCode === 0 && result.stdout !== "" ? parseCommitInfo(result.stdout) : null;
  }

  /**
   * Metadata of many commits at once, by the revision asked for (null when it names no commit).
   * Full object ids are read with one git process; other revisions one at a time.
   */
  async showCommits(
    revs: readonly string[],
    options: SignalOption = {},
  ): Promise<Map<string, CommitInfo | null>> {
    const found = new Map<string, CommitInfo | null>();
    const ids = [...new Set(revs.filter(isObjectId))];
    if (ids.length > 0) {
      const args = [
        "log",
        "--no-walk=unsorted",
        "--ignore-missing",
        "-z",
        `--format=${commitInfoFormat}`,
        ...ids,
      ];
      const result = await this.#run(args, options);
      for (const record of splitCommitRecords(result.stdout)) {
        const info = parseCommitInfo(record);
        found.set(info.sha, info);
      }
    }
    for (const rev of revs) {
      if (!found.has(rev)) found.set(rev, await this.showCommit(rev, options));
    }
    return found;
  }

  /** Writes a bundle of `revisions` (refs, or ranges such as `base..branch`) to `file`. */
  async bundleCreate(file: string, revisions: readonly string[], options: SignalOption = {}): Promise<void> {
    await this.#run(["bundle", "create", "--quiet", file, ...revisions], options);
  }

  /** Fetches `refspecs` (such as `+refs/heads/x:refs/heads/x`) from the bundle `file`. */
  async fetchBundle(file: string, refspecs: readonly string[], options: SignalOption = {}): Promise<void> {
    await this.fetch(file, refspecs, options);
  }

  /** Fetches `refspecs` from `remote` (a remote name, URL, path or bundle), without tags. */
  async fetch(remote: string, refspecs: readonly string[], options: SignalOption = {}): Promise<void> {
    await fetchRefspecs(await this.#remote(remote, options, false), refspecs);
  }

  /** The object id of the full ref `ref` on `remote`, or null when the remote lacks it. */
  async lsRemote(remote: string, ref: string, options: SignalOption = {}): Promise<string | null> {
    return lsRemoteRef(await this.#remote(remote, options, false), ref);
  }

  /**
   * Pushes `source` (a commit or ref) to the full ref `destination` on `remote`. With
   * `expected`, the push is a compare-and-swap (`--force-with-lease`): it only happens while
   * the remote ref is still `expected` (null: absent). A rejection (stale lease, hook, not a
   * fast-forward) is returned as `{ ok: false, reason }`; transport failures throw.
   */
  push(
    remote: string,
    source: string,
    destination: string,
    options: SignalOption & { readonly expected?: string | null } = {},
  ): Promise<PushOutcome> {
    return pushRef(this.path, remote, source, destination, { ...options, runner: this.#runner });
  }

  /**
   * Fast-forwards the branch checked out here to `rev` and updates the files (`merge
   * --ff-only`). Git refuses, leaving everything as it was, when that is not a fast-forward or
   * would overwrite local changes; that refusal is returned as `{ ok: false, reason }`.
   */
  async fastForward(rev: string, options: SignalOption = {}): Promise<PushOutcome> {
    const result = await this.#run(["merge", "--ff-only", "--no-edit", "--quiet", rev], {
      ...options,
      accept: [0, 1, 128],
    });
    if (result.exitCode === 0) return { ok: true };
    return { ok: false, reason: result.stderr.trim() };
  }

  #remote(remote: string, options: SignalOption, push: boolean): Promise<RemoteCall> {
    return openRemote(this.path, remote, { ...options, runner: this.#runner }, push);
  }

  #run(args: readonly string[], options: CheckedRunOptions): Promise<GitRunResult> {
    return runChecked(this.#runner, this.path, args, options);
  }
}
