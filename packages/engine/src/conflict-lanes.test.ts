import { AbortError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { ConflictLanes } from "./conflict-lanes.js";

const never = new AbortController().signal;

describe("conflict lanes", () => {
  it("give turns per file in request order, and say who had to wait", async () => {
    const lanes = new ConflictLanes();
    const order: string[] = [];
    const first = await lanes.acquire(["src/index.ts"], never);
    expect(first.waited).toBe(false);
    const second = lanes.acquire(["src/index.ts"], never).then((turn) => {
      order.push("second");
      return turn;
    });
    const third = lanes.acquire(["src/index.ts", "README.md"], never).then((turn) => {
      order.push("third");
      return turn;
    });
    // Another file's lane is free meanwhile.
    const other = await lanes.acquire(["package.json"], never);
    expect(other.waited).toBe(false);
    other.release();
    await Promise.resolve();
    expect(order).toEqual([]);
    first.release();
    const turn = await second;
    expect(turn.waited).toBe(true);
    expect(order).toEqual(["second"]);
    turn.release();
    (await third).release();
    expect(order).toEqual(["second", "third"]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lanes.busy()).toEqual([]);
  });

  it("lets a waiter give up without giving the lane away early", async () => {
    const lanes = new ConflictLanes();
    const holder = await lanes.acquire(["a.ts"], never);
    const controller = new AbortController();
    const quitter = lanes.acquire(["a.ts"], controller.signal);
    controller.abort();
    await expect(quitter).rejects.toBeInstanceOf(AbortError);
    let next = false;
    const after = lanes.acquire(["a.ts"], never).then((turn) => {
      next = true;
      return turn;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(next).toBe(false);
    holder.release();
    (await after).release();
    expect(next).toBe(true);
  });
});
