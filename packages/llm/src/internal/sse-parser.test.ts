import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser.js";

describe("SseParser", () => {
  it("returns complete events across arbitrary splits, CRLF and multi-line data included", () => {
    const wire =
      'data: {"a":1}\n\n: comment\n\nevent: error\ndata: {"error":\r\ndata: "x"}\r\n\r\ndata:[DONE]\n\n';
    for (let size = 1; size <= wire.length; size++) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < wire.length; at += size) events.push(...parser.push(wire.slice(at, at + size)));
      expect(events).toEqual([
        { data: '{"a":1}', error: false },
        { data: '{"error":\n"x"}', error: true },
        { data: "[DONE]", error: false },
      ]);
    }
  });
});
