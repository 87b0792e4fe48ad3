import type { LongshotEvent } from "@longshot/core";
import { Dashboard, type DashboardProps } from "@longshot/tui";
import { render } from "ink";
import { createElement } from "react";
import type { DisplayControls, DisplayOptions, RunDisplay } from "./event-output.js";
import type { Output } from "./output.js";

/** A push-fed event stream: the dashboard reads it before the run exists. */
class EventChannel implements AsyncIterable<LongshotEvent> {
  readonly #queue: LongshotEvent[] = [];
  #wake: (() => void) | null = null;
  #closed = false;

  push(event: LongshotEvent): void {
    this.#queue.push(event);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LongshotEvent> {
    for (;;) {
      while (this.#queue.length > 0) yield this.#queue.shift()!;
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }
}

/**
 * The dashboard, mounted at once: it shows "starting" and "planning…" while the run is being
 * set up, notes appear as its status line, and the run's events flow in once it exists. Lines
 * noted while it is up are printed to stderr when it comes down, so they stay in the scrollback.
 */
export function mountDashboard(output: Output, options: DisplayOptions): RunDisplay {
  const channel = new EventChannel();
  const notes: string[] = [];
  let controls: DisplayControls | null = null;
  let beforeStart = options.onInterrupt;
  let notice: string | undefined;
  let closed = false;
  const props = (): DashboardProps => ({
    events: channel,
    maxWorkers: options.maxWorkers,
    budget: options.budget,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(notice === undefined ? {} : { notice }),
    controls: {
      pause: () => controls?.pause(),
      resume: () => controls?.resume(),
      cancelTask: (taskId) => controls?.cancelTask(taskId),
      setMaxWorkers: (value) => controls?.setMaxWorkers(value),
      quit: () => (controls ? controls.quit() : beforeStart()),
      interrupt: () => (controls ? controls.interrupt() : beforeStart()),
    },
  });
  const app = render(createElement(Dashboard, props()), { exitOnCtrlC: false, patchConsole: false });
  const exited = app.waitUntilExit().catch(() => undefined);
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    channel.close();
    app.unmount();
    await exited;
    for (const line of notes) output.err(line);
  };
  return {
    mode: "dashboard",
    note: (line) => {
      notes.push(line);
      if (closed) return;
      notice = line;
      app.rerender(createElement(Dashboard, props()));
    },
    status: (line) => {
      if (closed) {
        output.err(line);
        return;
      }
      notice = line;
      app.rerender(createElement(Dashboard, props()));
    },
    progress: (line) => {
      if (closed) return;
      notice = line;
      app.rerender(createElement(Dashboard, props()));
    },
    onInterrupt: (handler) => {
      beforeStart = handler;
    },
    show: async (events, given) => {
      controls = given;
      notice = undefined;
      app.rerender(createElement(Dashboard, props()));
      for await (const event of events) channel.push(event);
      channel.close();
      // The dashboard takes itself down once it has shown how the run ended.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    },
    close,
  };
}
