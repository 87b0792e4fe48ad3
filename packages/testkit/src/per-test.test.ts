import { afterAll, describe, expect, it } from "vitest";
import { perTest } from "./per-test.js";

const closed: string[] = [];
const open = perTest(
  async (name: string) => ({ name }),
  (opened) => {
    closed.push(opened.name);
  },
);

describe("perTest", () => {
  it("opens what the test asks for", async () => {
    expect(await open("first")).toEqual({ name: "first" });
    expect(await open("second")).toEqual({ name: "second" });
    expect(closed).toEqual([]);
  });

  it("closed what the previous test opened, the last opened first", () => {
    expect(closed).toEqual(["second", "first"]);
  });

  afterAll(() => {
    expect(closed).toEqual(["second", "first"]);
  });
});
