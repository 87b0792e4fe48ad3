import { describe, expect, it } from "vitest";
import { FrameDemuxer, type StreamName } from "./frame-demuxer.js";

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function collect(): { frames: Array<[StreamName, string]>; demuxer: FrameDemuxer } {
  const frames: Array<[StreamName, string]> = [];
  const demuxer = new FrameDemuxer((stream, payload) => frames.push([stream, payload.toString()]));
  return { frames, demuxer };
}

describe("FrameDemuxer", () => {
  it("separates stdout and stderr frames packed into one chunk", () => {
    const { frames, demuxer } = collect();
    demuxer.push(Buffer.concat([frame(1, "out one\n"), frame(2, "err\n"), frame(1, "out two\n")]));
    expect(frames).toEqual([
      ["stdout", "out one\n"],
      ["stderr", "err\n"],
      ["stdout", "out two\n"],
    ]);
    expect(demuxer.bufferedBytes).toBe(0);
  });

  it("reassembles frames split at every possible byte boundary", () => {
    const raw = Buffer.concat([frame(1, "héllo"), frame(2, "wörld"), frame(1, "")]);
    for (let cut = 0; cut <= raw.length; cut++) {
      const { frames, demuxer } = collect();
      demuxer.push(raw.subarray(0, cut));
      demuxer.push(raw.subarray(cut));
      expect(frames.filter(([, text]) => text !== "")).toEqual([
        ["stdout", "héllo"],
        ["stderr", "wörld"],
      ]);
      expect(demuxer.bufferedBytes).toBe(0);
    }
  });

  it("holds back an incomplete frame and ignores stdin frames", () => {
    const { frames, demuxer } = collect();
    const partial = frame(1, "abcdef").subarray(0, 10);
    demuxer.push(Buffer.concat([frame(0, "stdin echo"), partial]));
    expect(frames).toEqual([]);
    expect(demuxer.bufferedBytes).toBe(10);
  });
});
