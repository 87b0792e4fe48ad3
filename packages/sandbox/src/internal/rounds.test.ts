import { describe, expect, it } from "vitest";
import { Rounds } from "./rounds.js";

describe("Rounds", () => {
  it("does a burst of requests in one round, a key asked twice once, and fails only the keys work says failed", async () => {
    const rounds: string[][] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = new Rounds<string>(async (keys) => {
      rounds.push([...keys]);
      await gate;
      return new Map(
        keys.filter((key) => key.startsWith("bad")).map((key) => [key, new Error(`${key} refused`)]),
      );
    });
    const first = [work.request("a"), work.request("b"), work.request("a"), work.request("bad-1")];
    // Let the first round start: what is asked for now goes to the next round, never this one.
    await Promise.resolve();
    await Promise.resolve();
    expect(rounds).toEqual([["a", "b", "bad-1"]]);
    const second = [work.request("a"), work.request("c")];
    release();
    const settled = await Promise.allSettled([...first, ...second]);
    expect(settled.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(String((settled[3] as PromiseRejectedResult).reason)).toBe("Error: bad-1 refused");
    expect(rounds).toEqual([
      ["a", "b", "bad-1"],
      ["a", "c"],
    ]);
  });
});
