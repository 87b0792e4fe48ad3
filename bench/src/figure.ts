/** How a figure is held against its goal. */
export interface Goal {
  readonly comparison: "<=" | "<" | ">=";
  readonly target: number;
  /** How the goal reads in the table, e.g. "≤ 1.10×". */
  readonly text: string;
}

/** PASS/MISS against a goal; `info` for figures without one; `skipped`/`error` when not measured. */
export type Verdict = "PASS" | "MISS" | "info" | "skipped" | "error";

/** One row of the results table. */
export interface Figure {
  readonly section: string;
  readonly name: string;
  /** The measured number (in the goal's unit), or null when not measured. */
  readonly value: number | null;
  /** The number as the table shows it, with unit and context. */
  readonly display: string;
  readonly goal: Goal | null;
  readonly verdict: Verdict;
}

/** Whether `value` meets `goal`. */
export function meets(value: number, goal: Goal): boolean {
  switch (goal.comparison) {
    case "<=":
      return value <= goal.target;
    case "<":
      return value < goal.target;
    case ">=":
      return value >= goal.target;
  }
}

/** A measured figure; its verdict follows from the goal (info without one). */
export function measured(
  section: string,
  name: string,
  value: number,
  display: string,
  goal: Goal | null = null,
): Figure {
  const verdict = goal === null ? "info" : Number.isFinite(value) && meets(value, goal) ? "PASS" : "MISS";
  return { section, name, value, display, goal, verdict };
}

/** A figure that could not be measured: skipped (with the reason) or failed. */
export function unmeasured(
  section: string,
  name: string,
  verdict: "skipped" | "error",
  reason: string,
  goal: Goal | null = null,
): Figure {
  return { section, name, value: null, display: reason, goal, verdict };
}

/** The goals of issue 13 and of the package issues whose benchmarks join the suite. */
export const goals = {
  wallOverIdeal: { comparison: "<=", target: 1.1, text: "≤ 1.10×" },
  landedShare: { comparison: ">=", target: 0.95, text: "≥ 95%" },
  mergeQueueRatio: { comparison: ">=", target: 5, text: "≥ 5×" },
  mergesPerSecond: { comparison: ">=", target: 50, text: "≥ 50/s" },
  peakRssMb: { comparison: "<=", target: 400, text: "≤ 400 MB" },
  spawnsPerTask: { comparison: "<=", target: 3, text: "≤ 3" },
  localSandboxP50Ms: { comparison: "<=", target: 150, text: "≤ 150 ms" },
  dockerSandboxP50Ms: { comparison: "<=", target: 1000, text: "≤ 1 s" },
  sweepOverhead: { comparison: "<=", target: 0.1, text: "≤ 10%" },
  llmOverhead: { comparison: "<", target: 1.2, text: "< 1.2×" },
  agentTurnCpuMs: { comparison: "<", target: 5, text: "< 5 ms" },
  cliStartMs: { comparison: "<=", target: 150, text: "≤ 150 ms" },
  firstPaintMs: { comparison: "<=", target: 300, text: "≤ 300 ms" },
  duplicatedLines: { comparison: "<=", target: 0, text: "0" },
  rerunsPerTask: { comparison: "<=", target: 0.3, text: "≤ 0.3" },
} as const satisfies Record<string, Goal>;
