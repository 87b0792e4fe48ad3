import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError } from "@longshot/core";
import { type GitRunner, ProcessGitRunner } from "@longshot/git";
import { GuardedGitRunner, gitOutput } from "./internal/guarded-git.js";
import { Rounds } from "./internal/rounds.js";
import { SandboxError } from "./sandbox-error.js";

/** Options of {@link SandboxRepository.open}. */
export interface SandboxRepositoryOptions {
  /** The user's repository: where commits come from and where results go. */
  readonly source: string;
  /** Directory of the sandboxes' repository (a bare repository longshot owns; created when missing). */
  readonly path: string;
  /**
   * The run's start commit. The repository is shallow here, so nothing older (the history
   * before the run, where held-out tests live) is in it, and only descendants of it may enter.
   */
  readonly root: string;
  /** Repository-relative paths (files or directories) no commit entering the repository may hold. */
  readonly withhold?: readonly string[];
  /** How git runs; default a `ProcessGitRunner` with only PATH and LANG in its environment. */
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

/** Config of the sandboxes' repository: no hooks, no background maintenance that rewrites files sandboxes have bound. */
const minimalConfig = (objectFormat: string): string =>
  [
    "[core]",
    `\trepositoryformatversion = ${objectFormat === "sha1" ? 0 : 1}`,
    "\tbare = true",
    "\thooksPath = /dev/null",
    "\tfsmonitor = false",
    ...(objectFormat === "sha1" ? [] : ["[extensions]", `\tobjectFormat = ${objectFormat}`]),
    "[gc]",
    "\tauto = 0",
    "[maintenance]",
    "\tauto = false",
    "[fetch]",
    "\twriteCommitGraph = false",
    "",
  ].join("\n");

/**
 * The repository sandboxes are made from, instead of the user's: a bare repository longshot
 * creates with a minimal config, shallow at the run's start commit, into which only the
 * integration branch's commits (descendants of the start, without the withheld paths) are
 * fetched. A sandbox can read its objects, history and refs and find nothing else: not the
 * user's config (credentials, hooks, filters), not the history before the run, not the
 * held-out tests. Results are fetched back into the user's repository by `deliver`.
 */
export class SandboxRepository {
  readonly path: string;
  readonly source: string;
  readonly root: string;
  readonly #withhold: readonly string[];
  readonly #mirror: GitRunner;
  readonly #plain: GitRunner;
  /** Admissions of commits, a round at a time (see `admit`). */
  readonly #admissions = new Rounds<string>((commits) => this.#admitRound(commits));
  /** Deliveries of task branches, a round at a time (see `deliver`). */
  readonly #deliveries = new Rounds<string>((branches) => this.#deliverRound(branches));
  /** Commits known to be here: admitted ones never leave, so asking git once is enough. */
  readonly #known = new Set<string>();

  private constructor(options: SandboxRepositoryOptions, runner: GitRunner) {
    this.path = options.path;
    this.source = options.source;
    this.root = options.root;
    this.#withhold = options.withhold ?? [];
    this.#plain = runner;
    this.#mirror = new GuardedGitRunner(runner);
  }

  /**
   * Opens the sandboxes' repository at `path`, creating it (shallow at `root`) when it is
   * missing or was made for another root. Throws `SandboxError` (`create-failed`) when the
   * root is not a commit of the source or holds a withheld path.
   */
  static async open(options: SandboxRepositoryOptions): Promise<SandboxRepository> {
    const runner =
      options.runner ??
      new ProcessGitRunner({ environment: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8" } });
    const repository = new SandboxRepository(options, runner);
    if (!(await repository.#hasRoot())) await repository.#create(options.signal);
    return repository;
  }

  async #hasRoot(): Promise<boolean> {
    const shallow = await readFile(join(this.path, "shallow"), "utf8").catch(() => "");
    return shallow.split("\n").includes(this.root) && existsSync(join(this.path, "objects"));
  }

  async #create(signal: AbortSignal | undefined): Promise<void> {
    await this.#check(this.root, signal);
    const format = (
      await gitOutput(this.#plain, this.source, ["rev-parse", "--show-object-format"], {
        reason: "create-failed",
        signal,
      })
    ).stdout.trim();
    await rm(this.path, { recursive: true, force: true });
    await mkdir(this.path, { recursive: true });
    await gitOutput(
      this.#plain,
      this.path,
      ["init", "--quiet", "--bare", "--template=", `--object-format=${format}`],
      {
        reason: "create-failed",
        signal,
      },
    );
    await writeFile(join(this.path, "config"), minimalConfig(format));
    await this.#fetch(["--depth=1", this.source, `${this.root}:refs/longshot/root`], signal);
  }

  /**
   * Makes `commit` available to sandboxes: fetched from the source when missing, after checking
   * that it descends from the root and holds no withheld path. Admissions run one round at a
   * time, so sandboxes never fetch at once; a round takes every commit asked for while the one
   * before it ran, checks them side by side and fetches them in one fetch (a swarm asks for a
   * new head after each landing, and one fetch per head in single file kept its sandboxes
   * waiting for seconds). A commit known to be here returns at once. Throws `SandboxError`
   * (`create-failed`) when it may not enter (the other commits of its round are not affected),
   * `AbortError` when `signal` aborts first (the round goes on for the others).
   */
  admit(commit: string, signal?: AbortSignal): Promise<void> {
    if (this.#known.has(commit)) return Promise.resolve();
    const admission = this.#admissions.request(commit);
    return signal === undefined ? admission : untilAborted(admission, signal);
  }

  /** Admits the commits of one round; returns what each that may not enter failed with. */
  async #admitRound(commits: readonly string[]): Promise<ReadonlyMap<string, unknown>> {
    const failures = new Map<string, unknown>();
    const checked = await Promise.all(
      commits.map(async (commit) => {
        try {
          if (await this.has(commit)) return null;
          await this.#check(commit, undefined);
          return commit;
        } catch (error) {
          failures.set(commit, error);
          return null;
        }
      }),
    );
    const admissible = checked.filter((commit): commit is string => commit !== null);
    const fetched = await fetchEach(admissible, (some) =>
      this.#fetch(
        [this.source, ...some.map((commit) => `${commit}:refs/longshot/bases/${commit}`)],
        undefined,
      ),
    );
    for (const [commit, error] of fetched) {
      if (error === null) this.#known.add(commit);
      else failures.set(commit, error);
    }
    return failures;
  }

  /** Whether the commit is in the sandboxes' repository. */
  async has(commit: string, signal?: AbortSignal): Promise<boolean> {
    if (this.#known.has(commit)) return true;
    const result = await this.#mirror.run({
      args: ["cat-file", "-e", `${commit}^{commit}`],
      cwd: this.path,
      ...(signal === undefined ? {} : { signal }),
    });
    if (result.exitCode === 0) this.#known.add(commit);
    return result.exitCode === 0;
  }

  /**
   * Copies `refs/heads/<branch>` (a sandbox's result) into the source repository, objects
   * included, as the branch is when the delivery's round runs (never older than the call).
   * Deliveries run a round at a time, each round one fetch for every branch asked for while the
   * one before it ran. Throws `SandboxError` (`export-failed`); `AbortError` when `signal` aborts
   * first (the round goes on for the others).
   */
  deliver(branch: string, signal?: AbortSignal): Promise<void> {
    const delivery = this.#deliveries.request(branch);
    return signal === undefined ? delivery : untilAborted(delivery, signal);
  }

  async #deliverRound(branches: readonly string[]): Promise<ReadonlyMap<string, unknown>> {
    const fetched = await fetchEach(branches, async (some) => {
      const refspecs = some.map((branch) => `+refs/heads/${branch}:refs/heads/${branch}`);
      await gitOutput(
        this.#plain,
        this.source,
        ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", this.path, ...refspecs],
        { reason: "export-failed" },
      );
    });
    const failures = new Map<string, unknown>();
    for (const [branch, error] of fetched) if (error !== null) failures.set(branch, error);
    return failures;
  }

  /** Deletes the repository (after every sandbox made from it is gone). */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }

  async #check(commit: string, signal: AbortSignal | undefined): Promise<void> {
    const descends =
      commit === this.root ||
      (
        await this.#plain.run({
          args: ["merge-base", "--is-ancestor", this.root, commit],
          cwd: this.source,
          ...(signal === undefined ? {} : { signal }),
        })
      ).exitCode === 0;
    if (!descends) {
      throw new SandboxError(
        "create-failed",
        `Commit ${commit} does not descend from the run's start ${this.root}, so no sandbox may start from it.`,
      );
    }
    if (this.#withhold.length === 0) return;
    const listed = await gitOutput(
      this.#plain,
      this.source,
      ["ls-tree", "-r", "--name-only", commit, "--", ...this.#withhold],
      { reason: "create-failed", signal },
    );
    if (listed.stdout.trim() !== "") {
      throw new SandboxError(
        "create-failed",
        `Commit ${commit} holds held-out files (${listed.stdout.trim().split("\n")[0]}), so no sandbox may start from it.`,
      );
    }
  }

  async #fetch(args: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    await gitOutput(
      this.#mirror,
      this.path,
      ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", ...args],
      {
        reason: "create-failed",
        signal,
      },
    );
  }
}

/**
 * Fetches every item in one fetch; when that fails and there was more than one, each alone, so
 * one bad item (a ref gone meanwhile) fails only itself. Returns each item's error, or null.
 */
async function fetchEach(
  items: readonly string[],
  fetch: (some: readonly string[]) => Promise<unknown>,
): Promise<Map<string, unknown>> {
  const outcome = new Map<string, unknown>();
  if (items.length === 0) return outcome;
  try {
    await fetch(items);
    for (const item of items) outcome.set(item, null);
  } catch (error) {
    if (items.length === 1) outcome.set(items[0]!, error);
    else
      for (const item of items)
        outcome.set(
          item,
          await fetch([item]).then(
            () => null,
            (single: unknown) => single ?? error,
          ),
        );
  }
  return outcome;
}

/** `promise`, or an `AbortError` as soon as `signal` aborts (the work behind `promise` goes on). */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(undefined, { cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
