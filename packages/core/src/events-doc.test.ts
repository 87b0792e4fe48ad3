import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventTypes } from "./events.js";
import { renderEventsDoc } from "./events-doc.js";

const docPath = new URL("../../../docs/events.md", import.meta.url);

describe("docs/events.md", () => {
  it("is exactly what the event union generates (run `node scripts/gen-events-doc.mjs` after changing events)", () => {
    expect(readFileSync(docPath, "utf8")).toBe(renderEventsDoc());
  });

  it("documents every event type with its fields", () => {
    const doc = renderEventsDoc();
    for (const type of eventTypes) expect(doc).toContain(`\n## ${type}\n`);
    expect(doc).toMatch(
      /## model-call-retry\n\n.+\n\n\| field \| type \| always present \|\n\|---\|---\|---\|\n\| `callId` \| string \| yes \|/,
    );
    expect(doc).toContain("| `status` | integer \\| null | yes |");
  });
});
