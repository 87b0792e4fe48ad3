import type { LongshotEvent } from "@longshot/core";
import { describeEvent } from "@longshot/tui/describe-event";
import { type Output, paint } from "./output.js";

export type OutputMode = "dashboard" | "plain" | "json";

/** What the dashboard's keys ask of the run. */
export interface DisplayControls {
  pause(): void;
  resume(): void;
  cancelTask(taskId: string): void;
  setMaxWorkers(value: number): void;
  /** `q`: graceful drain. */
  quit(): void;
  /** Ctrl+C (raw mode swallows SIGINT): the two-stage interrupt. */
  interrupt(): void;
}

/** Where a run shows itself: NDJSON on stdout, one line per event on stderr, or the dashboard. */
export interface RunDisplay {
  readonly mode: OutputMode;
  /** A line about the run beside its events (starting, removed sandboxes); kept on screen. */
  note(line: string): void;
  /** What the run is waiting for right now (a drain's countdown): the dashboard's status line, else a line. */
  status(line: string): void;
  /** What the set-up is doing ("checking the model endpoints…"): on the dashboard only. */
  progress(line: string): void;
  /** Shows the events of a run until they end. */
  show(events: AsyncIterable<LongshotEvent>, controls: DisplayControls): Promise<void>;
  /** Who answers Ctrl+C while the dashboard holds the keyboard and the run's controls are not in yet. */
  onInterrupt(handler: () => void): void;
  /** Takes the dashboard down (if any) and prints what it held back; safe to call twice. */
  close(): Promise<void>;
}

export interface DisplayOptions {
  readonly maxWorkers: number;
  readonly budget: { usd: number | null; tokens: number | null };
  /** Ctrl+C before the run exists (while the dashboard is up, raw mode swallows SIGINT). */
  readonly onInterrupt: () => void;
  /** The dashboard's clock (a replay runs on the recording's time); default the wall clock. */
  readonly now?: () => number;
}

function colorOf(event: LongshotEvent): "red" | "green" | "yellow" | null {
  switch (event.type) {
    case "run-end":
      return event.status === "green" ? "green" : "red";
    case "merge-conflict":
    case "run-drain":
    case "budget-refuse":
    case "model-call-retry":
      return "yellow";
    case "health-check":
      return event.green ? "green" : "red";
    case "task-transition":
      return event.to === "failed" ? "red" : null;
    default:
      return null;
  }
}

/** One stderr line for an event, or null for the events too small to mention. */
export function eventLine(event: LongshotEvent, output: Output): string | null {
  const line = describeEvent(event);
  if (line === null) return null;
  const stamp = new Date(event.at).toISOString().slice(11, 19);
  const color = colorOf(event);
  return `${paint(output, "dim", stamp)} ${color ? paint(output, color, line) : line}`;
}

/**
 * Opens the run's display before anything slow happens, so a terminal shows the dashboard (in
 * its "planning…" state) at once. The dashboard's code (Ink, React) is loaded only here.
 */
export async function openDisplay(
  mode: OutputMode,
  output: Output,
  options: DisplayOptions,
): Promise<RunDisplay> {
  if (mode === "dashboard") {
    // Ink's colours follow FORCE_COLOR, read once when it loads: decide before loading it, so
    // NO_COLOR and --color never leave no escape code at all (bold, dim and inverse included).
    // The variable is put back once Ink has loaded, so nothing this process starts inherits it.
    const before = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = output.color ? (before ?? "1") : "0";
    const { mountDashboard } = await import("./dashboard-display.js").finally(() => {
      if (before === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = before;
    });
    return mountDashboard(output, options);
  }
  return {
    mode,
    note: (line) => output.err(line),
    status: (line) => output.err(line),
    progress: () => undefined,
    show: async (events) => {
      // Loaded here, not up front: the dashboard's first paint needs none of core.
      const { eventSchemaVersion } =
        mode === "json" ? await import("@longshot/core") : { eventSchemaVersion: 0 };
      for await (const event of events) {
        if (mode === "json") {
          // The schema version leads every line (docs/events.md).
          output.out(JSON.stringify({ schema: eventSchemaVersion, ...event }));
          continue;
        }
        const line = eventLine(event, output);
        if (line !== null) output.err(line);
      }
    },
    onInterrupt: () => undefined,
    close: async () => undefined,
  };
}
