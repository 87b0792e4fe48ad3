import type { Price, Usage } from "@longshot/core";

/**
 * Built-in list prices in USD per million tokens (input, output, cached input). Prices change;
 * LLM_PRICES overrides or extends this table. Models not listed (local models) cost nothing.
 */
export const defaultPrices: Readonly<Record<string, Price>> = {
  "gpt-4.1": { input: 2, output: 8, cached: 0.5 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6, cached: 0.1 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4, cached: 0.025 },
  "gpt-4o": { input: 2.5, output: 10, cached: 1.25 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cached: 0.075 },
  "gpt-5": { input: 1.25, output: 10, cached: 0.125 },
  "gpt-5-mini": { input: 0.25, output: 2, cached: 0.025 },
  "gpt-5-nano": { input: 0.05, output: 0.4, cached: 0.005 },
  o3: { input: 2, output: 8, cached: 0.5 },
  "o3-mini": { input: 1.1, output: 4.4, cached: 0.55 },
  "o4-mini": { input: 1.1, output: 4.4, cached: 0.275 },
  "claude-opus-4": { input: 15, output: 75, cached: 1.5 },
  "claude-sonnet-4": { input: 3, output: 15, cached: 0.3 },
  "claude-3-7-sonnet": { input: 3, output: 15, cached: 0.3 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cached: 0.08 },
  "gemini-2.5-pro": { input: 1.25, output: 10, cached: 0.31 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5, cached: 0.075 },
  "deepseek-chat": { input: 0.27, output: 1.1, cached: 0.07 },
  "deepseek-reasoner": { input: 0.55, output: 2.19, cached: 0.14 },
};

/**
 * Prices by model. A model is matched exactly, then without a provider prefix
 * (`openai/gpt-4.1` → `gpt-4.1`), then by the longest listed name it starts with
 * (`gpt-4.1-2025-04-14` → `gpt-4.1`, while `gpt-4.1-mini` keeps its own price).
 */
export class PriceTable {
  readonly #prices: ReadonlyMap<string, Price>;
  readonly #names: readonly string[];
  readonly #resolved = new Map<string, Price | undefined>();

  /** `overrides` (LLM_PRICES) win over `base` entry by entry. */
  constructor(
    overrides: Readonly<Record<string, Price>> = {},
    base: Readonly<Record<string, Price>> = defaultPrices,
  ) {
    const merged = new Map<string, Price>();
    for (const [name, price] of Object.entries(base)) merged.set(name.toLowerCase(), price);
    for (const [name, price] of Object.entries(overrides)) merged.set(name.toLowerCase(), price);
    this.#prices = merged;
    this.#names = [...merged.keys()].sort((a, b) => b.length - a.length);
  }

  /** The price of a model, or `undefined` when it is not in the table. */
  priceOf(model: string): Price | undefined {
    if (this.#resolved.has(model)) return this.#resolved.get(model);
    const price = this.#lookup(model);
    this.#resolved.set(model, price);
    return price;
  }

  #lookup(model: string): Price | undefined {
    const name = model.toLowerCase();
    const exact = this.#prices.get(name);
    if (exact !== undefined) return exact;
    const bare = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
    const withoutPrefix = this.#prices.get(bare);
    if (withoutPrefix !== undefined) return withoutPrefix;
    const prefix = this.#names.find(
      (candidate) => bare.startsWith(`${candidate}-`) || bare.startsWith(`${candidate}:`),
    );
    return prefix === undefined ? undefined : this.#prices.get(prefix);
  }

  /**
   * USD for the given usage: uncached prompt tokens at the input price, cached ones at the
   * cached price (the input price when none is listed), completion tokens at the output price.
   * Zero for unknown models.
   */
  costOf(model: string, usage: Usage): number {
    const price = this.priceOf(model);
    if (price === undefined) return 0;
    const cached = Math.min(usage.cachedTokens, usage.promptTokens);
    const micro =
      (usage.promptTokens - cached) * price.input +
      cached * (price.cached ?? price.input) +
      usage.completionTokens * price.output;
    return micro / 1_000_000;
  }
}
