import { randomBytes } from "node:crypto";

/** Source of identifiers. Ids are always assigned by code, never by a model. */
export interface IdSource {
  /** A new run id such as `r20261121-104955-3fa2`. */
  runId(now: number): string;
}

export class RandomIdSource implements IdSource {
  runId(now: number): string {
    const stamp = new Date(now).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    return `r${stamp}-${randomBytes(2).toString("hex")}`;
  }
}

/** Task ids are sequential within a run: t0001, t0002, … so they sort and never collide. */
export function taskIdFor(sequence: number): string {
  return `t${String(sequence).padStart(4, "0")}`;
}

/** The branch a task's attempts commit to. */
export function taskBranch(prefix: string, runId: string, taskId: string): string {
  return `${prefix}${runId}/${taskId}`;
}

/** The integration branch of a run. */
export function integrationBranch(prefix: string, runId: string): string {
  return `${prefix}${runId}/integration`;
}
