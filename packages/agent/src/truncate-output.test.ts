import { describe, expect, it } from "vitest";
import { truncateOutput } from "./truncate-output.js";

describe("truncateOutput", () => {
  it("returns short output unchanged", () => {
    expect(truncateOutput("ok\n", { maxChars: 100 })).toBe("ok\n");
  });

  it("keeps the head and the tail of long output and says how much it left out", () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index + 1}`);
    const result = truncateOutput(lines.join("\n"), { maxChars: 400 });
    expect(result.startsWith("line 1\nline 2\n")).toBe(true);
    expect(result.endsWith("line 999\nline 1000")).toBe(true);
    expect(result).not.toContain("line 500\n");
    const note = /\[… lines (\d+)–(\d+) \((\d+) lines, \d+ characters\) omitted; read a narrower range/.exec(
      result,
    );
    expect(note).not.toBeNull();
    // The note names exactly the lines that are missing.
    const [first, last, count] = [Number(note?.[1]), Number(note?.[2]), Number(note?.[3])];
    expect(result).toContain(`line ${first - 1}\n`);
    expect(result).not.toContain(`line ${first}\n`);
    expect(result).not.toContain(`line ${last}\n`);
    expect(result).toContain(`line ${last + 1}\n`);
    expect(count).toBe(last - first + 1);
    expect(result.length).toBeLessThan(600);
  });

  it("lets the caller word the note, given the omitted lines", () => {
    const text = Array.from({ length: 100 }, (_, index) => `row ${index + 1}`).join("\n");
    const result = truncateOutput(
      text,
      { maxChars: 100 },
      ({ firstLine, lastLine }) => `<${firstLine}-${lastLine}>`,
    );
    const [, first, last] = /<(\d+)-(\d+)>/.exec(result) ?? [];
    expect(result).toContain(`row ${Number(first) - 1}\n`);
    expect(result).not.toContain(`row ${Number(first)}\n`);
    expect(result).not.toContain(`row ${Number(last)}\n`);
    expect(result).toContain(`>\nrow ${Number(last) + 1}\n`);
  });

  it("cuts on line boundaries so no half line is shown", () => {
    const text = Array.from({ length: 200 }, (_, index) => `entry-${index}-xxxxxxxx`).join("\n");
    const result = truncateOutput(text, { maxChars: 300 });
    for (const line of result.split("\n")) {
      if (line.startsWith("entry-")) expect(line).toMatch(/^entry-\d+-xxxxxxxx$/);
    }
  });

  it("gives the tail the larger share by default, where builds print their verdict", () => {
    const text = `${"q".repeat(5000)}${"z".repeat(5000)}`;
    const result = truncateOutput(text, { maxChars: 1000 });
    expect(result.match(/q/g)?.length).toBe(400);
    expect(result.match(/z/g)?.length).toBe(600);
  });
});
