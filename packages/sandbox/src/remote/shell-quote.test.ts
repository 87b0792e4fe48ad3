import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellCommand } from "./shell-quote.js";

describe("shellCommand", () => {
  it("passes awkward words through a real shell unchanged", () => {
    const words = ["a b", "it's", "$HOME", "`id`", "*", "", "new\nline", "back\\slash", "--x=y"];
    const line = shellCommand(["printf", "%s\\0", ...words]);
    const output = execFileSync("/bin/sh", ["-c", line], { encoding: "utf8" });
    expect(output.split("\0").slice(0, -1)).toEqual(words);
  });
});
