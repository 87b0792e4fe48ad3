import type { Config } from "@longshot/core";
import { modelClientFromConfig } from "@longshot/llm";
import type { Output } from "../output.js";
import { runSpecInterview } from "../spec/index.js";

/** `longshot spec`: the PRD interview; suggestions from the model when one is configured. */
export async function specCommand(
  config: Config,
  repoDir: string,
  output: Output,
  overwrite: boolean,
): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.on("SIGINT", onInterrupt);
  try {
    let model = null;
    if (config.LLM_BASE_URL !== undefined || config.LLM_ENDPOINTS !== undefined) {
      model = (await modelClientFromConfig(config, { signal: controller.signal })).client;
    } else {
      output.err("No model endpoint configured: suggestions come from the repository.");
    }
    const result = await runSpecInterview({
      input: process.stdin,
      output: process.stdout,
      repoDir,
      isTty: Boolean(process.stdin.isTTY),
      model,
      overwrite,
      signal: controller.signal,
    });
    switch (result.outcome) {
      case "written":
        return 0;
      case "cancelled":
        return 130;
      case "kept-existing":
        output.err("SPEC.md was kept; pass --yes to replace it.");
        return 1;
      case "end-of-input":
        return 1;
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
