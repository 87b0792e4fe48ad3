import type { LongshotEvent } from "@longshot/core";
import type { RunEngine } from "@longshot/engine";
import { Dashboard, describeEvent } from "@longshot/tui";
import { render } from "ink";
import { createElement } from "react";
import { type Output, paint } from "./output.js";

export type OutputMode = "dashboard" | "plain" | "json";

/** Dashboard on a terminal unless asked otherwise; `--json` wins over everything. */
export function outputMode(
  flags: { json: boolean; dashboard: boolean; noDashboard: boolean },
  output: Output,
): OutputMode {
  if (flags.json) return "json";
  if (flags.noDashboard) return "plain";
  if (flags.dashboard || output.isTty) return "dashboard";
  return "plain";
}

function colorOf(event: LongshotEvent): "red" | "green" | "yellow" | null {
  switch (event.type) {
    case "run-end":
      return event.status === "green" ? "green" : "red";
    case "merge-conflict":
    case "run-drain":
    case "budget-refuse":
      return "yellow";
    case "health-check":
      return event.green ? "green" : "red";
    case "task-transition":
      return event.to === "failed" ? "red" : null;
    default:
      return null;
  }
}

/**
 * Shows a run's events while it runs: NDJSON on stdout, one readable line per meaningful event,
 * or the live dashboard. Resolves when the event stream ends (the run ended).
 */
export async function showEvents(
  engine: RunEngine,
  afterSeq: number,
  mode: OutputMode,
  output: Output,
  options: {
    maxWorkers: number;
    budget: { usd: number | null; tokens: number | null };
    /** `q` in the dashboard: graceful drain. */
    onQuit: () => void;
    /** Ctrl+C in the dashboard (raw mode swallows SIGINT): the two-stage interrupt. */
    onInterrupt: () => void;
  },
): Promise<void> {
  if (mode === "json") {
    for await (const event of engine.events(afterSeq)) output.out(JSON.stringify(event));
    return;
  }
  if (mode === "plain") {
    for await (const event of engine.events(afterSeq)) {
      // The run's ending is told once, by the summary line printed after the reports are written.
      const line = event.type === "run-end" ? null : describeEvent(event);
      if (line === null) continue;
      const stamp = new Date(event.at).toISOString().slice(11, 19);
      const color = colorOf(event);
      output.err(`${paint(output, "dim", stamp)} ${color ? paint(output, color, line) : line}`);
    }
    return;
  }
  const app = render(
    createElement(Dashboard, {
      events: engine.events(),
      maxWorkers: options.maxWorkers,
      budget: options.budget,
      controls: {
        pause: () => engine.send({ type: "pause" }),
        resume: () => engine.send({ type: "resume" }),
        cancelTask: (taskId: string) => engine.send({ type: "cancel-task", taskId }),
        setMaxWorkers: (value: number) => engine.send({ type: "set-max-workers", value }),
        quit: options.onQuit,
        interrupt: options.onInterrupt,
      },
    }),
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
}
