import { describe, expect, it } from "vitest";
import { PriceTable } from "./price-table.js";

describe("PriceTable", () => {
  const table = new PriceTable({ "my-local": { input: 0, output: 0 }, "gpt-4.1": { input: 3, output: 9 } });

  it("lets LLM_PRICES override the built-in table", () => {
    expect(table.priceOf("gpt-4.1")).toEqual({ input: 3, output: 9 });
    expect(table.priceOf("gpt-4.1-mini")).toEqual({ input: 0.4, output: 1.6, cached: 0.1 });
  });

  it("matches dated versions and provider prefixes, preferring the longest name", () => {
    expect(table.priceOf("gpt-4.1-mini-2025-04-14")).toEqual({ input: 0.4, output: 1.6, cached: 0.1 });
    expect(table.priceOf("openai/gpt-4o-mini")).toEqual({ input: 0.15, output: 0.6, cached: 0.075 });
    expect(table.priceOf("claude-sonnet-4-20250514")?.output).toBe(15);
    expect(table.priceOf("llama3.2:3b")).toBeUndefined();
    expect(table.priceOf("gpt-4.10")).toBeUndefined();
  });

  it("charges cached prompt tokens at the cached price, or the input price when none is listed", () => {
    const usage = { promptTokens: 1_000_000, completionTokens: 500_000, cachedTokens: 400_000 };
    expect(new PriceTable().costOf("gpt-4.1", usage)).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.5 * 8, 10);
    expect(table.costOf("gpt-4.1", usage)).toBeCloseTo(1 * 3 + 0.5 * 9, 10);
    expect(table.costOf("unknown-model", usage)).toBe(0);
  });
});
