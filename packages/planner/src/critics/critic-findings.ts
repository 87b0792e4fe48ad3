import type { Handoff } from "@longshot/core";
import { z } from "zod";
import type { TaskSpecInput } from "../task-graph.js";
import type { CriticKind } from "./critic-task.js";

/** One finding as a critic reports it (a JSON object in its handoff's suggestions). */
export const CriticFindingSchema = z.object({
  title: z.string().trim().min(1).max(200),
  severity: z.number().min(0).max(100),
  scope: z.array(z.string().trim().min(1)).default([]),
  description: z.string().default(""),
});
export type CriticFinding = z.infer<typeof CriticFindingSchema>;

/** Findings read from a handoff, and the suggestions that were not findings. */
export interface ParsedFindings {
  readonly findings: readonly CriticFinding[];
  readonly unreadable: readonly string[];
}

/**
 * Reads a critic's findings from its handoff: each suggestion (or concern) that is a JSON
 * object (or a JSON array of them) matching {@link CriticFindingSchema}. Anything else is kept
 * as unreadable text, never dropped silently.
 */
export function parseCriticFindings(handoff: Handoff | null): ParsedFindings {
  const findings: CriticFinding[] = [];
  const unreadable: string[] = [];
  for (const entry of [...(handoff?.suggestions ?? []), ...(handoff?.concerns ?? [])]) {
    const values = jsonValues(entry);
    if (values === null) {
      if (entry.trim() !== "") unreadable.push(entry.trim());
      continue;
    }
    for (const value of values) {
      const parsed = CriticFindingSchema.safeParse(value);
      if (parsed.success) findings.push(parsed.data);
      else unreadable.push(JSON.stringify(value));
    }
  }
  return { findings, unreadable };
}

/** Options of {@link planFromFindings}. */
export interface FindingPlanOptions {
  readonly kind: CriticKind;
  /** Findings at or above this severity become tasks (CRITIC_THRESHOLD). */
  readonly threshold: number;
  /** Titles of tasks the run already has; a finding with the same title is a note instead. */
  readonly existingTitles?: ReadonlySet<string>;
  /** Most tasks one critic may add; default 5 (the most severe win). */
  readonly maxTasks?: number;
}

/** Tasks planned from findings, and the notes for the report. */
export interface FindingPlan {
  readonly tasks: readonly TaskSpecInput[];
  readonly notes: readonly string[];
}

/**
 * The planner's handling of a critic's findings: each finding at or above the threshold, with a
 * scope of plain repository paths, becomes a task with that scope (most severe first, at most
 * `maxTasks`); the rest become notes saying why they did not.
 */
export function planFromFindings(
  findings: readonly CriticFinding[],
  options: FindingPlanOptions,
): FindingPlan {
  const tasks: TaskSpecInput[] = [];
  const notes: string[] = [];
  const seen = new Set([...(options.existingTitles ?? [])].map(normalize));
  const maxTasks = options.maxTasks ?? 5;
  const ordered = [...findings].sort((left, right) => right.severity - left.severity);
  for (const finding of ordered) {
    const label = `${finding.title} (severity ${finding.severity})`;
    if (finding.severity < options.threshold) {
      notes.push(`${label}: below the threshold of ${options.threshold}. ${finding.description}`.trim());
      continue;
    }
    const badPath = finding.scope.find((path) => !isRepositoryPath(path));
    if (finding.scope.length === 0 || badPath !== undefined) {
      notes.push(
        `${label}: not planned, ${badPath === undefined ? "no scope given" : `scope "${badPath}" is not a path in the repository`}.`,
      );
      continue;
    }
    if (seen.has(normalize(finding.title))) {
      notes.push(`${label}: already planned.`);
      continue;
    }
    if (tasks.length >= maxTasks) {
      notes.push(`${label}: not planned, this critic already added ${maxTasks} tasks.`);
      continue;
    }
    seen.add(normalize(finding.title));
    tasks.push({
      title: finding.title,
      description: `${finding.description.trim() || finding.title}\n\nFound by the ${options.kind} critic (severity ${finding.severity}).`,
      acceptance: [`The ${options.kind} critic's finding is resolved: ${finding.title}`],
      scope: [...finding.scope],
      priority: Math.min(90, 40 + Math.round(finding.severity / 5)),
      size: "s",
    });
  }
  return { tasks, notes };
}

function jsonValues(text: string): unknown[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return Array.isArray(value) ? value : [value];
  } catch {
    return null;
  }
}

function isRepositoryPath(path: string): boolean {
  return (
    !path.startsWith("/") &&
    !path.split("/").includes("..") &&
    !/^[A-Za-z]:/.test(path) &&
    !path.includes("\0")
  );
}

function normalize(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}
