import { describe, expect, it } from "vitest";
import { parseFlags } from "./flags.js";

const refusal = (argv: string[]) => {
  try {
    parseFlags(argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parseFlags accepted ${argv.join(" ")}`);
};

describe("a flag the command line cannot take", () => {
  it("names the flag a typo is closest to, and says nothing of the sort for a stranger", () => {
    expect(refusal(["--wokers", "4", "build it"])).toBe(
      "Unknown flag --wokers (did you mean --workers?); run longshot --help for the flags each command takes.",
    );
    expect(refusal(["--max-cots=3", "build it"])).toContain("(did you mean --max-cost?)");
    expect(refusal(["--frobnicate", "build it"])).toBe(
      "Unknown flag --frobnicate; run longshot --help for the flags each command takes.",
    );
  });

  it("says how to give a value that is missing or starts with a dash, and that a switch takes none", () => {
    expect(refusal(["build it", "--workers"])).toMatch(/^--workers needs a value \(--workers <value>\); run/);
    expect(refusal(["--max-cost", "-1", "build it"])).toMatch(
      /^--max-cost needs a value, and the next argument -1 starts with a dash; to give it as the value, write --max-cost=-1; run/,
    );
    expect(refusal(["--yes=3", "refactor"])).toMatch(
      /^--yes is a switch and takes no value; write --yes alone; run/,
    );
  });

  it("still reads a value that starts with a dash when it is joined with =", () => {
    expect(parseFlags(["--max-cost=-1", "build it"]).config.MAX_COST_USD).toBe("-1");
  });
});
