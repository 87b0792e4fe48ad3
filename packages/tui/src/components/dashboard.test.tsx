import type { LongshotEvent } from "@longshot/core";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { recordedRun } from "../__fixtures__/recorded-run.js";
import { Dashboard } from "./dashboard.js";

async function* from(events: LongshotEvent[]): AsyncIterable<LongshotEvent> {
  for (const event of events) yield event;
}

const settle = (ms = 120) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Dashboard", () => {
  it("renders the event stream and sends the keys' commands to the run", async () => {
    const calls: string[] = [];
    const { lastFrame, stdin, unmount } = render(
      <Dashboard
        events={from(recordedRun({ tasks: 12, workers: 4 }))}
        maxWorkers={4}
        throttleMs={20}
        now={() => Date.UTC(2026, 10, 21, 12, 1, 0)}
        controls={{
          pause: () => calls.push("pause"),
          resume: () => calls.push("resume"),
          cancelTask: (taskId) => calls.push(`cancel ${taskId}`),
          setMaxWorkers: (value) => calls.push(`workers ${value}`),
          quit: () => calls.push("quit"),
        }}
      />,
    );
    await settle();
    expect(lastFrame()).toContain("Workers · 3 active of 4");
    // The plan is longer than its panel: ] scrolls it down one line, [ back up.
    expect(lastFrame()).not.toContain("above");
    stdin.write("]");
    await settle(60);
    expect(lastFrame()).toContain("↑ 1 above");
    stdin.write("[");
    await settle(60);
    expect(lastFrame()).not.toContain("above");
    stdin.write("p");
    await settle(40);
    stdin.write("\u001B[B");
    await settle(40);
    // A cancel asks first: another key keeps the task, a second c cancels it.
    stdin.write("c");
    await settle(40);
    expect(lastFrame()).toContain(
      "cancel t0010? Its work is dropped, the run ends red. c: cancel · other key: keep",
    );
    stdin.write("x");
    await settle(40);
    expect(lastFrame()).toContain("t0010 kept");
    expect(calls).toEqual(["pause"]);
    stdin.write("c");
    await settle(40);
    stdin.write("c");
    await settle(40);
    expect(calls).toEqual(["pause", "cancel t0010"]);
    stdin.write("+");
    await settle(40);
    stdin.write("q");
    await settle(60);
    expect(calls).toEqual(["pause", "cancel t0010", "workers 5", "quit"]);
    expect(lastFrame()).toContain("Workers · 3 active of 5");
    expect(lastFrame()).toContain("draining");
    unmount();
  });
});
