#!/usr/bin/env node
// Plays a recorded event stream (NDJSON, one event per line) into the live dashboard, for
// looking at the dashboard without a run and for testing it in a real terminal.
import { readFileSync } from "node:fs";
import { type LongshotEvent, parseEvent } from "@longshot/core";
import { render } from "ink";
import { Dashboard } from "../components/dashboard.js";

const [file, intervalText = "20"] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: replay EVENTS.ndjson [INTERVAL_MS]\n");
  process.exit(2);
}
const events = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => parseEvent(JSON.parse(line)));
const interval = Number(intervalText);
let paused = false;

const channel: LongshotEvent[] = [];
let notify: (() => void) | null = null;
const push = (event: LongshotEvent): void => {
  channel.push(event);
  notify?.();
};
void (async () => {
  for (const event of events) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    while (paused) await new Promise((resolve) => setTimeout(resolve, interval));
    push(event);
  }
})();
async function* stream(): AsyncIterable<LongshotEvent> {
  for (;;) {
    while (channel.length > 0) yield channel.shift()!;
    await new Promise<void>((resolve) => {
      notify = resolve;
    });
  }
}
const control = (type: "run-pause" | "run-unpause"): LongshotEvent => ({
  type,
  reason: "key",
  runId: "replay",
  seq: 0,
  at: Date.now(),
});

const app = render(
  <Dashboard
    events={stream()}
    maxWorkers={8}
    budget={{ usd: 5, tokens: null }}
    now={() => events.at(-1)?.at ?? Date.now()}
    controls={{
      pause: () => {
        paused = true;
        push(control("run-pause"));
      },
      resume: () => {
        paused = false;
        push(control("run-unpause"));
      },
      cancelTask: () => undefined,
      setMaxWorkers: () => undefined,
      quit: () => app.unmount(),
    }}
  />,
);
await app.waitUntilExit();
