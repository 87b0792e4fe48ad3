import { type OutputMode, openDisplay, type RunDisplay } from "../event-output.js";
import type { Output } from "../output.js";

/** Workers and budget of the demo (flags may change them). */
export const demoWorkers = "8";
export const demoBudgetUsd = "10";

/**
 * The demo's display, opened before the rest of longshot loads (`longshot demo` calls this
 * first), so a terminal shows the dashboard at once while the sample is made.
 */
export function openDemoDisplay(
  mode: OutputMode,
  output: Output,
  flags: Readonly<Record<string, string>>,
): Promise<RunDisplay> {
  return openDisplay(mode, output, {
    maxWorkers: Number(flags.MAX_WORKERS ?? demoWorkers) || Number(demoWorkers),
    budget: { usd: Number(flags.MAX_COST_USD ?? demoBudgetUsd) || null, tokens: null },
    onInterrupt: () => process.kill(process.pid, "SIGINT"),
  });
}
