import type { Config } from "@longshot/core";

export type CheckStatus = "ok" | "warn" | "fail";

/** One line of `longshot doctor`. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

/** What a probe may look at besides the configuration. */
export interface DoctorContext {
  /** The repository a run would work on (`--repo`, else the working directory). */
  readonly repo: string;
  /** `--repo` was given (so GIT_REPO_URL is not used, as for a run). */
  readonly repoGiven: boolean;
  /** Aborted when doctor gives up waiting. */
  readonly signal: AbortSignal;
}

/** A check (or a few) that `longshot doctor` runs beside all the others. */
export type DoctorProbe = (config: Config, context: DoctorContext) => Promise<DoctorCheck[]>;
