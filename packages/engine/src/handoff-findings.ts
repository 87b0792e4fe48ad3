/**
 * The guard's findings: `rejections` fail the attempt (the agent is told why), `concerns` go to
 * the judge. Apart from the guard (`handoff-guard.ts`), so the worker does not load the agent
 * package the guard needs.
 */
export interface HandoffFindings {
  readonly rejections: readonly string[];
  readonly concerns: readonly string[];
}

/** No findings. */
export const cleanHandoff: HandoffFindings = { rejections: [], concerns: [] };
