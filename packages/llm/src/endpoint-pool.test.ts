import { ManualClock, UserError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { EndpointPool } from "./endpoint-pool.js";

const signal = new AbortController().signal;
const endpoint = (name: string, weight = 1, extra: { models?: string[] } = {}) => ({
  name,
  endpoint: `http://127.0.0.1:1/${name}/v1`,
  apiKey: "",
  weight,
  ...extra,
});

async function picks(pool: EndpointPool, count: number, model = "m"): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let pick = 0; pick < count; pick++) {
    const lease = await pool.acquire(model, new Set(), 10, signal);
    counts[lease.endpoint.name] = (counts[lease.endpoint.name] ?? 0) + 1;
    lease.admission.release();
  }
  return counts;
}

describe("EndpointPool", () => {
  it("routes in proportion to the configured weights", async () => {
    const pool = new EndpointPool([endpoint("a", 3), endpoint("b", 1)]);
    expect(await picks(pool, 40)).toEqual({ a: 30, b: 10 });
  });

  it("sends less traffic to an endpoint that answers slower", async () => {
    const pool = new EndpointPool([endpoint("fast"), endpoint("slow")]);
    for (let sample = 0; sample < 4; sample++) {
      for (const lease of [
        await pool.acquire("m", new Set(["slow"]), 1, signal),
        await pool.acquire("m", new Set(["fast"]), 1, signal),
      ]) {
        lease.endpoint.observeLatency(lease.endpoint.name === "fast" ? 100 : 400);
        lease.admission.release();
      }
    }
    const counts = await picks(pool, 50);
    expect(counts.fast).toBe(40);
    expect(counts.slow).toBe(10);
  });

  it("routes a model only to endpoints that list it", async () => {
    const pool = new EndpointPool([endpoint("big", 1, { models: ["large"] }), endpoint("any")]);
    expect(await picks(pool, 6, "small")).toEqual({ any: 6 });
    expect(() => new EndpointPool([endpoint("big", 1, { models: ["large"] })]).assertServed("small")).toThrow(
      UserError,
    );
  });

  it("holds callers of a paused endpoint until the pause ends", async () => {
    const clock = new ManualClock(0);
    const pool = new EndpointPool([endpoint("only")], { clock, random: () => 0 });
    const first = await pool.acquire("m", new Set(), 1, signal);
    first.endpoint.pause(5000);
    first.admission.release();
    let admitted = false;
    const waiting = Promise.resolve(pool.acquire("m", new Set(), 1, signal)).then((lease) => {
      admitted = true;
      return lease;
    });
    clock.advance(4999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toBe(false);
    clock.advance(1);
    expect((await waiting).endpoint.name).toBe("only");
  });

  it("refuses an empty list or duplicate names with a UserError", () => {
    expect(() => new EndpointPool([])).toThrow(/LLM_BASE_URL/);
    expect(() => new EndpointPool([endpoint("a"), endpoint("a")])).toThrow(/unique name/);
  });
});
