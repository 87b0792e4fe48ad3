import { describe, expect, it } from "vitest";
import {
  callKey,
  defaultLatencyModel,
  describeLatencyModel,
  drawLatencyMs,
  lognormalMeanMs,
  lognormalSigma,
  realAgentLatencyModel,
} from "./latency-model.ts";

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(fraction * (sorted.length - 1))]!;
}

describe("the latency model", () => {
  it("gives a call the same latency however often it is drawn", () => {
    const key = callKey("worker", "t0042", 3);
    expect(drawLatencyMs(defaultLatencyModel, key)).toBe(drawLatencyMs(defaultLatencyModel, key));
    expect(drawLatencyMs({ ...defaultLatencyModel, seed: 7 }, key)).not.toBe(
      drawLatencyMs(defaultLatencyModel, key),
    );
  });

  it("has the stated median and 95th percentile over many calls", () => {
    const draws = Array.from({ length: 40_000 }, (_, index) =>
      drawLatencyMs(defaultLatencyModel, callKey("worker", `t${index % 997}`, Math.floor(index / 997))),
    );
    expect(percentile(draws, 0.5)).toBeGreaterThan(390);
    expect(percentile(draws, 0.5)).toBeLessThan(410);
    expect(percentile(draws, 0.95)).toBeGreaterThan(1_420);
    expect(percentile(draws, 0.95)).toBeLessThan(1_580);
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    expect(Math.abs(mean - lognormalMeanMs(defaultLatencyModel)) / mean).toBeLessThan(0.03);
  });

  it("derives σ from the median and p95, and refuses a p95 below the median", () => {
    expect(lognormalSigma(defaultLatencyModel)).toBeCloseTo(0.8036, 3);
    expect(() => lognormalSigma({ medianMs: 400, p95Ms: 300, seed: 1 })).toThrow(RangeError);
  });

  it("states itself in one sentence with its numbers", () => {
    const sentence = describeLatencyModel(defaultLatencyModel);
    expect(sentence).toContain("median 400 ms");
    expect(sentence).toContain("p95 1500 ms");
    expect(sentence).toContain(`seed ${defaultLatencyModel.seed}`);
  });

  it("holds real agents' calls to 5–60 s, their median and p95 otherwise as stated", () => {
    const draws = Array.from({ length: 20_000 }, (_, index) =>
      drawLatencyMs(realAgentLatencyModel, callKey("worker", `t${index % 499}`, Math.floor(index / 499))),
    );
    expect(Math.min(...draws)).toBe(5_000);
    expect(Math.max(...draws)).toBe(60_000);
    expect(percentile(draws, 0.5)).toBeGreaterThan(11_500);
    expect(percentile(draws, 0.5)).toBeLessThan(12_500);
    expect(percentile(draws, 0.95)).toBeGreaterThan(38_000);
    expect(percentile(draws, 0.95)).toBeLessThan(42_000);
    expect(describeLatencyModel(realAgentLatencyModel)).toContain("held to 5000–60000 ms");
  });
});
