import type { LiveRun } from "../run-service.js";
import { progressLine, progressOf } from "./run-view.js";

/** A progress notification's parameters, without the token. */
export interface ProgressParams {
  readonly progress: number;
  readonly total: number;
  readonly message: string;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Called when the number of settled or planned tasks changes; null for no progress reports. */
  readonly progress: ((params: ProgressParams) => Promise<void>) | null;
}

/**
 * Follows a live run until its `run-end` event, the timeout, or the caller's signal, whichever
 * comes first. Progress only grows (MCP requires it): a failed task the planner retries does not
 * take it back.
 */
export async function waitForRun(run: LiveRun, options: WaitOptions): Promise<{ readonly ended: boolean }> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let sent = { progress: -1, total: -1 };
  const report = async (): Promise<void> => {
    if (!options.progress) return;
    const counts = run.snapshot().counts;
    const { settled, total } = progressOf(counts);
    const progress = Math.max(sent.progress, settled);
    const next = { progress, total: Math.max(total, progress) };
    if (next.progress === sent.progress && next.total === sent.total) return;
    sent = next;
    await options.progress({ ...next, message: progressLine(counts) });
  };
  await report();
  for await (const event of run.events(run.snapshot().state.lastSeq, signal)) {
    if (event.type === "run-end") {
      await report();
      return { ended: true };
    }
    if (event.type === "task-add" || event.type === "task-transition") await report();
  }
  return { ended: false };
}
