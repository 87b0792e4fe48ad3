import type { LongshotEvent } from "@longshot/core";
import { UserError } from "@longshot/core";
import { type CliContext, modeOf, requireRunArgument } from "../cli-context.js";
import { type DisplayControls, openDisplay } from "../event-output.js";
import { resolveRunId } from "../run-ids.js";
import { openStoreIfAny } from "./inspect.js";

/** Longest pause between two replayed events, whatever the recording's gap. */
const maxGapMs = 1_000;

function parseSpeed(text: string | undefined): number {
  if (text === undefined) return 10;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 10_000)
    throw new UserError(`--speed is "${text}" but must be a number above 0 (10 plays ten times as fast).`);
  return speed;
}

function recordedEvents(context: CliContext): { runId: string; events: LongshotEvent[] } {
  const store = openStoreIfAny(context.repo);
  if (store === null)
    throw new UserError(`${context.repo} has no longshot runs yet, so there is nothing to replay.`);
  try {
    const runId = resolveRunId(store, requireRunArgument(context, "replay"));
    return { runId, events: store.events(runId) };
  } finally {
    store.close();
  }
}

/**
 * `longshot replay <run> [--speed N]`: plays a recorded run into the dashboard on its own
 * clock (gaps shortened by --speed, at most a second), with `p` to pause and `q` to stop.
 * Without a terminal it prints the run's lines (or `--json` events) at once.
 */
export async function replayCommand(context: CliContext): Promise<number> {
  const speed = parseSpeed(context.flags.text.speed);
  const { events } = recordedEvents(context);
  const mode = modeOf(context);
  const start = events.find((event) => event.type === "run-start");
  const settings = start?.type === "run-start" ? start.settings : {};
  let clock = events[0]?.at ?? 0;
  let paused = false;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  const display = await openDisplay(mode, context.output, {
    maxWorkers: typeof settings.maxWorkers === "number" ? settings.maxWorkers : 0,
    budget: { usd: null, tokens: null },
    onInterrupt: stop,
    now: () => clock,
  });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  async function* playback(): AsyncIterable<LongshotEvent> {
    for (const event of events) {
      if (mode === "dashboard") {
        await wait(Math.min(maxGapMs, Math.max(0, event.at - clock) / speed));
        while (paused && !stopped) await wait(50);
      }
      if (stopped) return;
      clock = event.at;
      yield event;
    }
  }
  const controls: DisplayControls = {
    // The recording has no pause of its own: p toggles the playback.
    pause: () => {
      paused = !paused;
      display.status(paused ? "paused: p to go on, q to stop" : `replaying at ${speed}×`);
    },
    resume: () => {
      paused = false;
      display.status(`replaying at ${speed}×`);
    },
    cancelTask: () => undefined,
    setMaxWorkers: () => undefined,
    quit: stop,
    interrupt: stop,
  };
  try {
    if (mode === "dashboard") display.status(`replaying at ${speed}× · p pause · q stop`);
    await display.show(playback(), controls);
  } finally {
    await display.close();
  }
  return 0;
}
