import type { Store } from "@longshot/store";
import { z } from "zod";

const RecordedSchema = z.object({
  config: z.record(z.string(), z.string()).optional(),
  maxWorkers: z.number().int().optional(),
  sandbox: z.string().optional(),
  harness: z.string().optional(),
  model: z.string().optional(),
  strategy: z.string().optional(),
  hiddenTests: z.string().optional(),
});

/**
 * The settings a run recorded in its `run-start` event, by variable name (see
 * `runSettingNames`), for `resumeConfig`. Runs from before the full record give what they had.
 * Empty when the run is unknown.
 */
export function recordedRunSettings(store: Store, runId: string): Record<string, string> {
  const start = store.events(runId, { types: ["run-start"] }).find((event) => event.type === "run-start");
  if (start === undefined || start.type !== "run-start") return {};
  const parsed = RecordedSchema.safeParse(start.settings);
  if (!parsed.success) return {};
  const { config, ...legacy } = parsed.data;
  if (config !== undefined) return { ...config };
  const settings: Record<string, string> = {};
  if (legacy.maxWorkers !== undefined) settings.MAX_WORKERS = String(legacy.maxWorkers);
  if (legacy.sandbox !== undefined) settings.SANDBOX_PROVIDER = legacy.sandbox;
  if (legacy.harness !== undefined) settings.WORKER_HARNESS = legacy.harness;
  if (legacy.model !== undefined) settings.LLM_MODEL = legacy.model;
  if (legacy.strategy !== undefined) settings.MERGE_STRATEGY = legacy.strategy;
  if (legacy.hiddenTests !== undefined) settings.HIDDEN_TESTS = legacy.hiddenTests;
  return settings;
}
