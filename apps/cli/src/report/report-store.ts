import type { Store } from "@longshot/store";

/** The read side of the store the renderers use; `SqliteStore` satisfies it. */
export type ReportStore = Pick<
  Store,
  | "listRuns"
  | "getRun"
  | "listTasks"
  | "getTask"
  | "toolCalls"
  | "costByRole"
  | "costByModel"
  | "merges"
  | "fixes"
  | "healthHistory"
  | "events"
>;
