import type { LongshotEvent } from "@longshot/core";
import { useApp, useInput, useStdout } from "ink";
import { useEffect, useRef, useState } from "react";
import { type DashboardView, emptyView, reduceView } from "../view.js";
import { DashboardFrame } from "./dashboard-frame.js";

/** What the dashboard may ask of the run; the TUI holds no engine logic. */
export interface DashboardControls {
  pause(): void;
  resume(): void;
  cancelTask(taskId: string): void;
  setMaxWorkers(value: number): void;
  /** Graceful drain; the run keeps going until running attempts finish. */
  quit(): void;
  /** Ctrl+C: the terminal is in raw mode, so the dashboard passes it on (first drains, second aborts). */
  interrupt?(): void;
}

export interface DashboardProps {
  readonly events: AsyncIterable<LongshotEvent>;
  readonly controls: DashboardControls;
  readonly maxWorkers: number;
  readonly budget?: { usd: number | null; tokens: number | null };
  /** Milliseconds between renders; events in between are folded without rendering. */
  readonly throttleMs?: number;
  readonly now?: () => number;
  /** Shown instead of the key hint: what the run is waiting for (a drain's countdown). */
  readonly notice?: string;
}

/** The terminal's size, at least 60 × 18 (smaller terminals overflow rather than lose the header). */
function terminalSize(stdout: NodeJS.WritableStream): { columns: number; rows: number } {
  const size = stdout as { columns?: number; rows?: number };
  return { columns: Math.max(60, size.columns ?? 80), rows: Math.max(18, size.rows ?? 24) };
}

/**
 * The live dashboard: folds events into a view and renders it at most every `throttleMs`. Keys:
 * p pause, ↑↓ select a worker, c cancel it, [ ] or PgUp/PgDn scroll the plan, +/- workers,
 * q drain, Ctrl+C the two-stage interrupt.
 */
export function Dashboard({
  events,
  controls,
  maxWorkers: initialWorkers,
  budget,
  throttleMs = 150,
  now = Date.now,
  notice,
}: DashboardProps) {
  const view = useRef<DashboardView>(emptyView(budget));
  const dirty = useRef(true);
  const [, setFrame] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [maxWorkers, setMaxWorkers] = useState(initialWorkers);
  const [hint, setHint] = useState<string | undefined>(undefined);
  const [planOffset, setPlanOffset] = useState(0);
  // A cancel gives the task's work up and ends the run red: `c` asks, a second `c` confirms.
  const [confirming, setConfirming] = useState<string | null>(null);
  const { stdout } = useStdout();
  const { exit } = useApp();
  const size = terminalSize(stdout);
  const width = size.columns;
  const height = size.rows;

  useEffect(() => {
    let stopped = false;
    void (async () => {
      for await (const event of events) {
        if (stopped) break;
        reduceView(view.current, event);
        dirty.current = true;
      }
    })();
    const timer = setInterval(() => {
      const current = view.current;
      if (
        current.status !== "starting" &&
        current.status !== "green" &&
        current.status !== "red" &&
        current.status !== "stopped" &&
        current.status !== "failed"
      ) {
        current.now = Math.max(current.now, now());
        dirty.current = true;
      }
      if (dirty.current) {
        dirty.current = false;
        setFrame((frame) => frame + 1);
      }
    }, throttleMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [events, throttleMs, now]);

  useInput((input, key) => {
    const workers = [...view.current.workers.keys()];
    const asked = confirming;
    if (asked !== null) setConfirming(null);
    if (asked !== null && !(input === "c" && !key.ctrl)) setHint(`${asked} kept`);
    if (key.ctrl && input === "c") {
      setHint("interrupted: draining (Ctrl+C again to abort and tear down every sandbox)");
      controls.interrupt?.();
    } else if (input === "q") {
      setHint("draining: running attempts finish, then the run stops (Ctrl+C again to abort)");
      controls.quit();
    } else if (input === "p") {
      if (view.current.paused) controls.resume();
      else controls.pause();
    } else if (key.downArrow || key.upArrow) {
      if (workers.length === 0) return;
      const index = selected === null ? -1 : workers.indexOf(selected);
      const next = key.downArrow ? Math.min(workers.length - 1, index + 1) : Math.max(0, index - 1);
      setSelected(workers[next] ?? null);
    } else if (input === "c" && asked !== null) {
      controls.cancelTask(asked);
      setHint(`cancelling ${asked}`);
    } else if (input === "c" && selected !== null) {
      setConfirming(selected);
      setHint(`cancel ${selected}? Its work is dropped, the run ends red. c: cancel · other key: keep`);
    } else if (input === "]" || input === "[" || key.pageDown || key.pageUp) {
      const page = Math.max(1, Math.floor(size.rows / 4));
      const step = key.pageDown || key.pageUp ? page : 1;
      const down = input === "]" || key.pageDown;
      setPlanOffset((offset) =>
        Math.max(0, Math.min(view.current.order.length, offset + (down ? step : -step))),
      );
    } else if (input === "+" || input === "-") {
      const value = Math.max(1, maxWorkers + (input === "+" ? 1 : -1));
      setMaxWorkers(value);
      controls.setMaxWorkers(value);
    }
    dirty.current = true;
  });

  useEffect(() => {
    const status = view.current.status;
    if (status === "green" || status === "red" || status === "stopped" || status === "failed") {
      const timer = setTimeout(() => exit(), throttleMs * 2);
      return () => clearTimeout(timer);
    }
    return undefined;
  });

  const shown = notice ?? hint;
  return (
    <DashboardFrame
      view={view.current}
      width={width}
      height={height}
      selected={selected}
      maxWorkers={maxWorkers}
      planOffset={planOffset}
      {...(shown === undefined ? {} : { hint: shown })}
    />
  );
}
