import { describe, expect, it } from "vitest";
import { OutputCollector } from "./output-collector.js";

describe("OutputCollector", () => {
  it("keeps everything under the cap", () => {
    const collector = new OutputCollector(100);
    collector.push("hello ");
    collector.push(Buffer.from("world"));
    expect(collector.text()).toBe("hello world");
    expect(collector.truncated).toBe(false);
  });

  it("keeps the start and the end of a long stream, saying how much was left out", () => {
    const collector = new OutputCollector(10);
    collector.push("START");
    for (let index = 0; index < 1000; index += 1) collector.push("..........");
    collector.push("THEEND");
    expect(collector.truncated).toBe(true);
    expect(collector.totalBytes).toBe(10_011);
    expect(collector.text()).toBe("START\n[… 10001 bytes omitted …]\nHEEND");
  });
});
