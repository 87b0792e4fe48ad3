import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError } from "@longshot/core";
import { type GitRunner, ProcessGitRunner } from "@longshot/git";
import { GuardedGitRunner, gitOutput } from "./internal/guarded-git.js";
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
  #admitting: Promise<unknown> = Promise.resolve();
  /** Commits asked for that the next admission round will take, and that round's outcome. */
  #round: { readonly commits: Set<string>; readonly done: Promise<ReadonlyMap<string, unknown>> } | undefined;
  /** Admissions under way or waiting, by commit: a second request for a commit joins the first. */
  readonly #admissions = new Map<string, Promise<void>>();
  /** Commits known to be here: admitted ones never leave, so asking git once is enough. */
  readonly #known = new Set<string>();
  #delivering: Promise<unknown> = Promise.resolve();

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
   * before it ran and fetches them together (a swarm asks for a new head after each landing,
   * and one fetch per head in single file made sandbox creation wait for seconds). A commit
   * known to be here returns at once; a commit already asked for joins that request. Throws
   * `SandboxError` (`create-failed`) when it may not enter (the other commits of its round are
   * not affected), `AbortError` when `signal` aborts first (the round goes on for the others).
   */
  admit(commit: string, signal?: AbortSignal): Promise<void> {
    if (this.#known.has(commit)) return Promise.resolve();
    let admission = this.#admissions.get(commit);
    if (admission === undefined) {
      admission = this.#enqueue(commit);
      this.#admissions.set(commit, admission);
      const forget = (): void => {
        this.#admissions.delete(commit);
      };
      void admission.then(forget, forget);
    }
    return signal === undefined ? admission : untilAborted(admission, signal);
  }

  #enqueue(commit: string): Promise<void> {
    let round = this.#round;
    if (round === undefined) {
      const commits = new Set<string>();
      const done = this.#admitting.then(() => {
        // From here on, commits asked for go to the next round.
        this.#round = undefined;
        return this.#admitRound([...commits]);
      });
      round = { commits, done };
      this.#round = round;
      this.#admitting = done.catch(() => undefined);
    }
    round.commits.add(commit);
    return round.done.then((failures) => {
      if (failures.has(commit)) throw failures.get(commit);
    });
  }

  /** Admits the commits of one round; returns what each that may not enter failed with. */
  async #admitRound(commits: readonly string[]): Promise<ReadonlyMap<string, unknown>> {
    const failures = new Map<string, unknown>();
    const admissible: string[] = [];
    for (const commit of commits) {
      try {
        if (await this.has(commit)) continue;
        await this.#check(commit, undefined);
        admissible.push(commit);
      } catch (error) {
        failures.set(commit, error);
      }
    }
    if (admissible.length === 0) return failures;
    try {
      await this.#fetch(
        [this.source, ...admissible.map((commit) => `${commit}:refs/longshot/bases/${commit}`)],
        undefined,
      );
      for (const commit of admissible) this.#known.add(commit);
    } catch (error) {
      for (const commit of admissible) failures.set(commit, error);
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
   * included. Throws `SandboxError` (`export-failed`).
   */
  deliver(branch: string, signal?: AbortSignal): Promise<void> {
    const ref = `refs/heads/${branch}`;
    const next = this.#delivering.then(async () => {
      await gitOutput(
        this.#plain,
        this.source,
        ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", this.path, `+${ref}:${ref}`],
        { reason: "export-failed", signal },
      );
    });
    this.#delivering = next.catch(() => undefined);
    return next;
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
