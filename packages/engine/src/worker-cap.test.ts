import { describe, expect, it } from "vitest";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";

const eight = ["a", "b", "c", "d", "e", "f", "g", "h"].map((title) => ({ title }));

describe("the worker cap in a running engine", () => {
  it("never runs more attempts at once than MAX_WORKERS, and takes a raised cap at once", async () => {
    let run: FakeRun | null = null;
    let active = 0;
    const peaks: number[] = [];
    let open: () => void = () => undefined;
    // The first attempts wait until three run side by side, so the raised cap is reached.
    const threeAtOnce = new Promise<void>((resolve) => {
      open = resolve;
    });
    run = await fakeRun({
      planner: { tasks: eight },
      settings: { maxWorkers: 2 },
      attempt: async (request) => {
        active += 1;
        peaks.push(active);
        if (active === 3) open();
        if (request.task.id === "t0002") run!.engine.send({ type: "set-max-workers", value: 3 });
        await threeAtOnce;
        active -= 1;
        return {};
      },
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(Math.max(...peaks)).toBe(3);
    // Before the cap was raised (the first two attempts), never more than two.
    expect(peaks.slice(0, 2)).toEqual([1, 2]);
    expect(run.lander.landed).toHaveLength(8);
  });
});
