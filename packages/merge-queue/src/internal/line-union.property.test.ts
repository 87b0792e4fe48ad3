import { seededRandom } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { type Additions, applyTo, randomCase, sequential } from "../__fixtures__/random-additions.js";
import { unionOfAdditions } from "./line-union.js";

function landAll(base: readonly string[], tasks: readonly Additions[]): string {
  const baseText = applyTo(base, new Map());
  let head = baseText;
  for (const task of tasks) {
    const union = unionOfAdditions(baseText, head, applyTo(base, task));
    if (union === null) throw new Error("an addition-only change was left as a conflict");
    head = union.text;
  }
  return head;
}

describe("unionOfAdditions, for random sets of additions", () => {
  it("gives the file a sequential application gives, with no line twice, the same on every run", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { base, tasks } = randomCase(seededRandom(seed));
      const landed = landAll(base, tasks);
      expect(landed, `seed ${seed}`).toBe(sequential(base, tasks));
      const lines = landed.split("\n").filter((line) => line !== "");
      expect(new Set(lines).size, `seed ${seed}`).toBe(lines.length);
      expect(landAll(base, tasks), `seed ${seed}`).toBe(landed);
    }
  });

  it("keeps every line any task added", () => {
    for (let seed = 501; seed <= 700; seed++) {
      const { base, tasks } = randomCase(seededRandom(seed));
      const landed = new Set(landAll(base, tasks).split("\n"));
      for (const task of tasks) {
        for (const line of [...task.values()].flat()) expect(landed.has(line), `seed ${seed}`).toBe(true);
      }
    }
  });
});
