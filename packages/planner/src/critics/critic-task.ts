import type { TaskSpecInput } from "../task-graph.js";

/** What a critic looks for. */
export type CriticKind = "duplication" | "coverage" | "architecture" | "performance";

/** Every critic, in the order a round schedules them. */
export const criticKinds: readonly CriticKind[] = ["duplication", "coverage", "architecture", "performance"];

/** What code gathered for a critic before it runs (on the integration branch, never by executing it). */
export interface CriticEvidence {
  readonly kind: CriticKind;
  /** Markdown the critic reads: duplicate groups, untested files, the notes to check against. */
  readonly summary: string;
  /** Paths the critic should read first. */
  readonly files: readonly string[];
  /** A command the critic runs in its sandbox (the declared benchmark), if any. */
  readonly command?: string;
}

const focus: Readonly<Record<CriticKind, string>> = {
  duplication:
    "Find code duplicated across the codebase (the duplicate finder's groups below are a starting point) that should be one shared function or module.",
  coverage:
    "Find changed code that no test exercises: new or changed source files without tests, untested branches and error paths. Run the project's tests (with coverage when the project supports it) to check.",
  architecture:
    "Compare the changed files with the repository's own architecture notes below: layering violations, code in the wrong package, broken conventions the notes state.",
  performance:
    "Run the benchmark below and look for regressions or obviously slow code paths in the changed files.",
};

/** The marker a critic task's description starts with (its kind, for logs and test doubles). */
export function criticMarker(kind: CriticKind): string {
  return `[[critic:${kind}]]`;
}

/** The context line that records a critic task's round and the integration head it reviewed. */
export function criticContext(round: number, head: string, final: boolean): string {
  return `critic round ${round}${final ? " (final)" : ""} at ${head}`;
}

/** Reads back {@link criticContext}; null for a context that is not a critic's. */
export function parseCriticContext(
  context: string,
): { readonly round: number; readonly head: string; readonly final: boolean } | null {
  const match = /^critic round (\d+)( \(final\))? at (\S+)$/.exec(context.trim());
  if (match === null) return null;
  return { round: Number(match[1]), final: match[2] !== undefined, head: match[3]! };
}

/**
 * The task a critic runs as: read-only (an empty scope: it holds no file lease and may change
 * none), with the evidence code gathered and the one format its findings must take.
 */
export function criticTaskSpec(
  evidence: CriticEvidence,
  round: { readonly number: number; readonly head: string; readonly final: boolean },
): TaskSpecInput {
  const lines = [
    `${criticMarker(evidence.kind)} You are the ${evidence.kind} critic of this codebase. ${focus[evidence.kind]}`,
    "",
    "You are read-only: read files and run commands that change nothing. Do not write, edit or delete any file; an attempt that changes a file is rejected and its findings are discarded.",
    "",
    'Report through `finish` with status "complete". Put each finding in `suggestions` as one JSON object on its own:',
    '{"title": "imperative title of the task that fixes it", "severity": 0-100, "scope": ["files the fix changes"], "description": "what is wrong, where, and what to do"}',
    "Severity 0 to 100: how much the problem hurts the codebase if left. Leave `suggestions` empty when there is nothing worth a task.",
  ];
  if (evidence.command !== undefined) lines.push("", `Command to run: \`${evidence.command}\``);
  if (evidence.files.length > 0)
    lines.push("", "Read first:", ...evidence.files.slice(0, 40).map((path) => `- ${path}`));
  if (evidence.summary.trim() !== "") lines.push("", evidence.summary.trim());
  return {
    title: `Critic round ${round.number}${round.final ? " (final)" : ""}: ${evidence.kind}`,
    description: lines.join("\n"),
    acceptance: ["Findings reported in finish's suggestions as JSON objects", "No file changed"],
    scope: [],
    priority: 30,
    size: "s",
    context: criticContext(round.number, round.head, round.final),
  };
}
