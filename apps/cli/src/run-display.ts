import type { LongshotEvent } from "@longshot/core";

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
