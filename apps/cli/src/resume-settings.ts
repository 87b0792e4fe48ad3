import { type ConfigSources, type ResumedConfig, resumeConfig, type SettingOverride } from "@longshot/core";
import { recordedRunSettings } from "@longshot/engine";
import type { Store } from "@longshot/store";
import { flagOf } from "./flags.js";

/**
 * The configuration `longshot resume` runs with: the run's recorded settings (workers, budgets,
 * models, harness, sandbox, strategy, held-out tests), with only the flags given to `resume`
 * overriding them. Throws `UserErrors` for an invalid flag.
 */
export function resumeSettings(store: Store, runId: string, sources: ConfigSources): ResumedConfig {
  return resumeConfig(recordedRunSettings(store, runId), sources);
}

/** One line per flag that overrides a recorded setting, such as "--workers 3 replaces the run's 2". */
export function overrideNotes(overrides: readonly SettingOverride[]): string[] {
  return overrides.map((override) => {
    const flag = flagOf(override.name);
    const given = flag === undefined ? `${override.name}=${override.now}` : `--${flag} ${override.now}`;
    const recorded = override.recorded === "" ? "unset" : override.recorded;
    return `Note: ${given} overrides the run's ${override.name} (${recorded} when it started).`;
  });
}
