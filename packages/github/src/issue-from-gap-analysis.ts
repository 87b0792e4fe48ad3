import type { IssueProposal } from "./file-gap-issue.js";

/** The parts of a proposed task an issue is written from (the planner's `KeyedTaskSpec`). */
export interface GapTask {
  readonly key: string;
  readonly spec: {
    readonly title: string;
    readonly description: string;
    readonly acceptance?: readonly string[] | undefined;
    readonly scope?: readonly string[] | undefined;
    readonly dependsOn?: readonly string[] | undefined;
    readonly priority?: number | undefined;
  };
}

/** The parts of a successful gap analysis an issue is written from. */
export interface GapAnalysisProposal {
  readonly summary: string;
  readonly tasks: readonly GapTask[];
}

/**
 * The next issue from a gap analysis: the highest-priority proposed task that depends on no
 * other proposed task (first in order on a tie), with its acceptance criteria and scope, the
 * analysis summary, and the remaining proposals listed as later work. Null when no task is
 * proposed.
 */
export function issueFromGapAnalysis(analysis: GapAnalysisProposal): IssueProposal | null {
  const keys = new Set(analysis.tasks.map((task) => task.key));
  const ready = analysis.tasks.filter((task) => !(task.spec.dependsOn ?? []).some((key) => keys.has(key)));
  const candidates = ready.length > 0 ? ready : analysis.tasks;
  let next: GapTask | undefined;
  for (const task of candidates) {
    if (next === undefined || (task.spec.priority ?? 50) > (next.spec.priority ?? 50)) next = task;
  }
  if (next === undefined) return null;
  const sections = [next.spec.description.trim()];
  const acceptance = next.spec.acceptance ?? [];
  if (acceptance.length > 0)
    sections.push(`## Acceptance\n\n${acceptance.map((line) => `- ${line}`).join("\n")}`);
  const scope = next.spec.scope ?? [];
  if (scope.length > 0) sections.push(`## Scope\n\n${scope.map((path) => `- \`${path}\``).join("\n")}`);
  if (analysis.summary.trim() !== "") sections.push(`## Gap analysis\n\n${analysis.summary.trim()}`);
  const later = analysis.tasks.filter((task) => task !== next);
  if (later.length > 0) {
    sections.push(
      `## Proposed for later cycles\n\n${later.map((task) => `- ${task.spec.title}`).join("\n")}`,
    );
  }
  return { title: next.spec.title, body: sections.join("\n\n") };
}
