import type { Usage } from "@longshot/core";

/** Adds two usages. */
export function addUsage(total: Usage, more: Usage): Usage {
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    cachedTokens: total.cachedTokens + more.cachedTokens,
  };
}

/** Prompt plus completion tokens. */
export function totalTokens(usage: Usage): number {
  return usage.promptTokens + usage.completionTokens;
}
