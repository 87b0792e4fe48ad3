import type { RunEngine, RunResult } from "@longshot/engine";
import type { Store } from "@longshot/store";
import type { StartRunOptions } from "./start-run-options.js";

/** What the MCP server needs of a live run: the engine handle (events, commands, snapshot). */
export type LiveRun = Pick<RunEngine, "runId" | "events" | "send" | "snapshot">;

/** A build request to start, as `longshot "<request>"` would. */
export interface StartRunInput {
  /** The build request in plain words. */
  readonly request: string;
  /** Absolute path of the target git repository. */
  readonly repo: string;
  readonly options: StartRunOptions;
}

/** How a run that lived in this process ended: its result, or the error that stopped its loop. */
export type RunEnding =
  | {
      readonly kind: "ended";
      readonly result: RunResult;
      /**
       * Where the work went once the run was finished (pull request, push, target branch), as
       * the host's `dispose` said in one sentence; absent until then, or when it said nothing.
       */
      readonly delivery?: string;
    }
  | { readonly kind: "crashed"; readonly error: string };

/**
 * The seam between the MCP server and the process that hosts runs (the CLI's `longshot mcp`,
 * or the test server). The MCP server never chooses providers, reads configuration or renders
 * reports itself; it asks this service.
 *
 * Errors: methods throw `UserError` (from `@longshot/core`) for anything the caller can fix, with
 * one sentence saying how; the MCP server returns that sentence as a tool error. Anything else is
 * reported as an internal error.
 */
export interface RunService {
  /** The repository tools use when they are given none (the directory `longshot mcp` runs in), or null. */
  readonly defaultRepo: string | null;
  /**
   * Starts a run in the background of this process exactly as `longshot "<request>"` would: the
   * same store (`<repo>/.git/longshot/longshot.db`), the same run lock, visible in `longshot runs`
   * and resumable with `longshot resume`. Resolves once the run's `run-start` event is recorded
   * and its loop is running (`engine(runId)` is then non-null). With `options.paused`, the run
   * records `run-pause` before any task is dispatched.
   */
  start(input: StartRunInput, signal: AbortSignal): Promise<{ readonly runId: string }>;
  /**
   * Resumes a run that is not live here (crashed, killed, interrupted or stopped) in the
   * background of this process, like `longshot resume <run>`. Resolves once its loop is running.
   * Throws `UserError` when another process holds the repository's run lock.
   */
  resume(repo: string, runId: string, signal: AbortSignal): Promise<{ readonly runId: string }>;
  /** The engine of a run live in this process; null once it has ended or when it lives elsewhere. */
  engine(runId: string): LiveRun | null;
  /**
   * The store of a repository (opened once and kept). Throws `UserError` when `repo` is not a
   * git repository.
   */
  store(repo: string): Store;
  /** The run's Markdown report, rendered as `longshot report` renders it. */
  report(repo: string, runId: string, signal: AbortSignal): Promise<string>;
  /** How a run that lived in this process ended; null while it runs or when it never lived here. */
  ending?(runId: string): RunEnding | null;
}
