import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Clock, type IdSource, type Logger, messageOf, UserError } from "@longshot/core";
import type { RunEngine, RunResult, RunStart } from "@longshot/engine";
import { gitDirOf } from "@longshot/git";
import { acquireRunLock, type RunLock, SqliteStore, type Store } from "@longshot/store";
import { isEnded } from "./internal/run-view.js";
import type { LiveRun, RunEnding, RunService, StartRunInput } from "./run-service.js";
import type { StartRunOptions } from "./start-run-options.js";

/** What `open` is asked to wire: a new run (request set) or a resumed one (request null). */
export interface OpenRunRequest {
  readonly repo: string;
  readonly runId: string;
  /** The build request of a new run; null to resume `runId` from its log. */
  readonly request: string | null;
  /** The client's per-run settings (empty when resuming). */
  readonly options: StartRunOptions;
  readonly store: Store;
  /** `<repo>/.git/longshot`. */
  readonly stateDir: string;
  readonly signal: AbortSignal;
}

/** An engine ready to run, and what to release when it ends. */
export interface OpenedLiveRun {
  readonly engine: RunEngine;
  /** `engine.run`'s argument: the start of a new run, null when resuming. */
  readonly start: RunStart | null;
  /**
   * Called once after the run ends, with how it ended: what `longshot` does after a run (open a
   * pull request, push or land the target branch, write the reports), then release what `open`
   * acquired (model client, sandbox pools, MCP tool servers). The run lock is released after it
   * returns. A sentence it returns says where the work went; `get_run` shows it as `delivery`.
   */
  readonly dispose?: (ending: RunEnding) => Promise<string | null | undefined>;
}

export interface InProcessRunServiceOptions {
  readonly defaultRepo: string | null;
  /** Wires the engine of a run (the CLI: config, model client, sandbox provider, health checks). */
  readonly open: (request: OpenRunRequest) => Promise<OpenedLiveRun>;
  /** Renders a run's Markdown report (the CLI's `longshot report`). */
  readonly report: (context: {
    readonly repo: string;
    readonly runId: string;
    readonly store: Store;
    readonly signal: AbortSignal;
  }) => Promise<string> | string;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** This process's id, recorded in the run lock. */
  readonly pid: number;
  readonly logger: Logger;
}

interface Hosted {
  readonly repo: string;
  readonly engine: RunEngine;
  readonly done: Promise<void>;
}

/**
 * A `RunService` that hosts runs in this process, one per repository at a time, each holding
 * the repository's run lock (`<repo>/.git/longshot/run.lock`) while it runs, and recording into
 * the repository's store (`<repo>/.git/longshot/longshot.db`). Engines are wired by the injected
 * `open`, so the CLI and the test server share the bookkeeping and differ only in providers.
 */
export class InProcessRunService implements RunService {
  readonly defaultRepo: string | null;
  readonly #options: InProcessRunServiceOptions;
  readonly #stores = new Map<string, Store>();
  readonly #live = new Map<string, Hosted>();
  readonly #endings = new Map<string, RunEnding>();

  constructor(options: InProcessRunServiceOptions) {
    this.#options = options;
    this.defaultRepo = options.defaultRepo === null ? null : resolve(options.defaultRepo);
  }

  /**
   * `<repo>/.git/longshot` (a linked worktree's own git folder for one); throws UserError when
   * `repo` is not a git repository.
   */
  stateDir(repo: string): string {
    const gitDir = gitDirOf(repo);
    if (gitDir === null || !statSync(gitDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UserError(
        `${repo} is not a git repository; pass the absolute path of a local git repository.`,
      );
    }
    return join(gitDir, "longshot");
  }

  store(repo: string): Store {
    const key = resolve(repo);
    const open = this.#stores.get(key);
    if (open) return open;
    const store = new SqliteStore(join(this.stateDir(key), "longshot.db"), { clock: this.#options.clock });
    this.#stores.set(key, store);
    return store;
  }

  engine(runId: string): LiveRun | null {
    return this.#live.get(runId)?.engine ?? null;
  }

  ending(runId: string): RunEnding | null {
    return this.#endings.get(runId) ?? null;
  }

  /** Ids of the runs live in this process. */
  liveRuns(): string[] {
    return [...this.#live.keys()];
  }

  /** Resolves when the run ends (at once when it is not live here). */
  async settled(runId: string): Promise<void> {
    await this.#live.get(runId)?.done;
  }

  async start(input: StartRunInput, signal: AbortSignal): Promise<{ readonly runId: string }> {
    const repo = resolve(input.repo);
    const runId = this.#options.ids.runId(this.#options.clock.now());
    await this.#host(repo, runId, input.request, input.options, signal);
    return { runId };
  }

  async resume(repo: string, runId: string, signal: AbortSignal): Promise<{ readonly runId: string }> {
    const key = resolve(repo);
    const run = this.store(key).getRun(runId);
    if (!run) throw new UserError(`No run ${runId} in ${key}; call list_runs to see the runs.`);
    const finishing = this.#live.get(runId);
    if (finishing !== undefined) {
      // A run whose log says it ended may still be tearing its sandboxes down here: wait for it.
      if (!isEnded(run.status)) throw new UserError(`Run ${runId} is already running in this process.`);
      await finishing.done;
    }
    await this.#host(key, runId, null, {}, signal);
    return { runId };
  }

  async report(repo: string, runId: string, signal: AbortSignal): Promise<string> {
    const key = resolve(repo);
    return await this.#options.report({ repo: key, runId, store: this.store(key), signal });
  }

  /**
   * Stops every live run and waits for them to end, then closes the stores. `abort: false`
   * drains (running attempts finish, like a first Ctrl+C); `abort: true` tears everything down
   * at once (like a second Ctrl+C). Either way the runs can be resumed later.
   */
  async close(options: { readonly abort: boolean; readonly reason?: string }): Promise<void> {
    const reason = options.reason ?? "the MCP server is shutting down";
    const hosted = [...this.#live.values()];
    for (const run of hosted) {
      run.engine.send(options.abort ? { type: "abort", reason } : { type: "stop", reason });
    }
    await Promise.all(hosted.map((run) => run.done));
    for (const store of this.#stores.values()) store.close();
    this.#stores.clear();
  }

  async #host(
    repo: string,
    runId: string,
    request: string | null,
    options: StartRunOptions,
    signal: AbortSignal,
  ): Promise<void> {
    const busy = [...this.#live.entries()].find(([, run]) => run.repo === repo);
    if (busy) {
      throw new UserError(
        `Run ${busy[0]} is already live in ${repo}, and a repository runs one run at a time; stop_run it or wait_run for it first.`,
      );
    }
    const store = this.store(repo);
    const stateDir = this.stateDir(repo);
    const lock = acquireRunLock(stateDir, { pid: this.#options.pid, runId });
    let opened: OpenedLiveRun;
    try {
      opened = await this.#options.open({ repo, runId, request, options, store, stateDir, signal });
    } catch (error) {
      lock.release();
      throw error;
    }
    // No await between `run` and `pause`: the loop dispatches nothing before its first wait.
    const running = opened.engine.run(opened.start);
    if (options.paused) opened.engine.send({ type: "pause" });
    this.#endings.delete(runId);
    const done = this.#finish(runId, running, lock, opened);
    this.#live.set(runId, { repo, engine: opened.engine, done });
  }

  async #finish(
    runId: string,
    running: Promise<RunResult>,
    lock: RunLock,
    opened: OpenedLiveRun,
  ): Promise<void> {
    let ending: RunEnding;
    try {
      ending = { kind: "ended", result: await running };
    } catch (error) {
      this.#options.logger.error({ runId, error: messageOf(error) }, "run crashed");
      ending = { kind: "crashed", error: messageOf(error) };
    }
    this.#endings.set(runId, ending);
    this.#live.delete(runId);
    try {
      const delivery = await opened.dispose?.(ending);
      if (ending.kind === "ended" && typeof delivery === "string")
        this.#endings.set(runId, { ...ending, delivery });
    } catch (error) {
      this.#options.logger.warn({ runId, error: messageOf(error) }, "finishing the run failed");
    } finally {
      lock.release();
    }
  }
}
