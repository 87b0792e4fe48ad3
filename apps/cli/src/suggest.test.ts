import { describe, expect, it } from "vitest";
import { commandNames } from "./cli.js";
import { closestCommand, editDistance } from "./suggest.js";

describe("closestCommand", () => {
  it.each([
    ["rnus", "runs"],
    ["reprot", "report"],
    ["doctr", "doctor"],
    ["Demo", "demo"],
    ["resum", "resume"],
    ["replya", "replay"],
  ])("takes %s for longshot %s", (typo, command) => {
    expect(closestCommand(typo, commandNames)).toBe(command);
  });

  it.each(["refactor", "tests", "build", "deploy", "x"])(
    "leaves the real one-word request %s alone",
    (word) => {
      expect(closestCommand(word, commandNames)).toBeNull();
    },
  );

  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("rnus", "runs")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
