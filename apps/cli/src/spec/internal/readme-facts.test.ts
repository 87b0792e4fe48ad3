import { describe, expect, it } from "vitest";
import { readmeFacts } from "./readme-facts.js";

describe("readmeFacts", () => {
  it("finds the title, the first prose paragraph past badges, and the feature bullets", () => {
    const readme = [
      "# Tally",
      "",
      "[![CI](https://example.com/badge.svg)](https://example.com)",
      "<p align=center><img src=logo.png></p>",
      "",
      "**Tally** counts words in [Markdown](https://commonmark.org) files,",
      "so writers see their progress.",
      "",
      "More text that is not the first paragraph.",
      "",
      "## Features",
      "",
      "- Counts words per file",
      "  - nested detail that is not a feature",
      "* Totals per folder",
      "1. `--watch` mode",
      "",
      "## Install",
      "- not a feature",
    ].join("\n");
    expect(readmeFacts(readme)).toEqual({
      title: "Tally",
      firstParagraph: "Tally counts words in Markdown files, so writers see their progress.",
      features: ["Counts words per file", "Totals per folder", "--watch mode"],
    });
  });

  it("skips code blocks and shortens a long paragraph at a sentence end", () => {
    const long = `${"A sentence that goes on. ".repeat(20)}`;
    const facts = readmeFacts(`\`\`\`sh\nnpm i tally\n\`\`\`\n\n${long}`);
    expect(facts.firstParagraph?.startsWith("A sentence that goes on.")).toBe(true);
    expect(facts.firstParagraph?.endsWith(".")).toBe(true);
    expect(facts.firstParagraph?.length).toBeLessThanOrEqual(300);
    expect(facts.title).toBeUndefined();
  });

  it("finds nothing in a README that is only a heading", () => {
    expect(readmeFacts("# test\n")).toEqual({ title: "test", firstParagraph: undefined, features: [] });
  });
});
