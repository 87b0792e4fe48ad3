import { existsSync } from "node:fs";
import {
  type Config,
  type ConfigSources,
  type ResumedConfig,
  resumeConfig,
  type SettingOverride,
  systemClock,
  UserError,
} from "@longshot/core";
import { budgetStopPrefix, recordedRunSettings } from "@longshot/engine";
import { SqliteStore, type Store } from "@longshot/store";
import { flagOf } from "./flags.js";
import { databaseOf } from "./run-context.js";
import { resolveRunId } from "./run-ids.js";

/**
 * The configuration `longshot resume` runs with: the run's recorded settings (workers, budgets,
 * models, harness, sandbox, strategy, checks, critics, held-out tests; see `runSettingNames`),
 * with only the flags given to `resume` overriding them. Throws `UserErrors` for an invalid flag.
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

/** A run `resume` continues: its open log, and the configuration it runs with. */
export interface ResumableRun {
  readonly store: SqliteStore;
  readonly runId: string;
  readonly config: Config;
  readonly secrets: readonly string[];
  readonly overrides: readonly SettingOverride[];
}

/**
 * Opens the repository's log for `resume` and picks the run (the one named, else the newest
 * unfinished one) and the configuration it runs with (`sources` given: the run's own, see
 * `resumeSettings`; else `config` as it is). Throws `UserError` when there is nothing to resume;
 * nothing is created then.
 */
export function openResumable(
  repo: string,
  options: {
    readonly runId?: string | undefined;
    readonly config: Config;
    readonly secrets: readonly string[];
    readonly sources?: ConfigSources | undefined;
  },
): ResumableRun {
  if (!existsSync(databaseOf(repo))) {
    throw new UserError("There is no unfinished run to resume in this repository; longshot runs lists them.");
  }
  const store = new SqliteStore(databaseOf(repo), { clock: systemClock });
  try {
    const runId = resumableRun(store, options.runId);
    if (options.sources === undefined)
      return { store, runId, config: options.config, secrets: options.secrets, overrides: [] };
    const restored = resumeSettings(store, runId, options.sources);
    return { store, runId, ...restored };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** The run to resume: the one named (a prefix, or latest), else the newest unfinished one. */
function resumableRun(store: Store, runId: string | undefined): string {
  const runs = store.listRuns();
  if (runId !== undefined) {
    const resolved = resolveRunId(store, runId);
    if (runs.find((entry) => entry.runId === resolved)?.status === "green")
      throw new UserError(`Run ${resolved} already ended green; there is nothing to resume.`);
    return resolved;
  }
  // A run a budget stopped ended red, but it is the one to go on with (with a larger budget).
  const unfinished = runs.find(
    (entry) =>
      (entry.status !== "green" && entry.status !== "red") ||
      (entry.status === "red" && entry.reason?.startsWith(budgetStopPrefix) === true),
  );
  if (!unfinished)
    throw new UserError("There is no unfinished run to resume in this repository; longshot runs lists them.");
  return unfinished.runId;
}
