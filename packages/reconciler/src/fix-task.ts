import type { TaskSpec, TaskState } from "@longshot/core";
import type { Failure } from "./failure.js";
import type { Culprit } from "./reconcile.js";

/** What the reconciler asks the engine to create; the engine assigns the id and records it. */
export interface FixTaskRequest {
  readonly spec: TaskSpec;
  /** The failure the task is for. */
  readonly fingerprint: string;
  /** Every fingerprint it covers (the failure and related ones in the same file). */
  readonly fingerprints: readonly string[];
  readonly culprit: Culprit | null;
  readonly failures: readonly Failure[];
  /** 1 for the first fix task of this fingerprint. */
  readonly attempt: number;
}

/** Where the engine sends fix tasks, and how the reconciler learns whether they are still open. */
export interface TaskSink {
  /** Creates a fix task (kind `fix`, the fingerprint recorded) and returns its code-assigned id. */
  addFixTask(request: FixTaskRequest, signal?: AbortSignal): Promise<string>;
  /** The task's current state, null when unknown. */
  taskState(taskId: string): TaskState | null;
}

const maxScope = 20;

/**
 * The spec of a fix task: a title naming the check and the problem, a description with the
 * failures, the culprit landing and the excerpt, the failing files (and the culprit's changed
 * files) as scope.
 */
export function fixTaskSpec(
  failures: readonly [Failure, ...Failure[]],
  culprit: Culprit | null,
  culpritFiles: readonly string[],
  attempt: number,
): TaskSpec {
  const [failure] = failures;
  const subject = failure.code ?? failure.test ?? failure.message;
  const where = failure.file === null ? "" : ` in ${failure.file}`;
  const title = `Fix ${failure.check}: ${subject}${where}`.slice(0, 200);
  const lines = failures.map((entry) => {
    const parts = [
      entry.file,
      entry.code,
      entry.test === null ? null : `test "${entry.test}"`,
      entry.message,
    ];
    return `- ${parts.filter((part) => part !== null && part !== "").join(": ")}`;
  });
  const blame =
    culprit === null
      ? "The landing that broke it is unknown."
      : `It broke with the landing ${culprit.taskId === null ? "" : `of task ${culprit.taskId} `}at ${culprit.sha.slice(0, 12)} (previous head ${culprit.previous.slice(0, 12)})${culpritFiles.length > 0 ? `, which changed ${culpritFiles.slice(0, 10).join(", ")}` : ""}.`;
  const retry =
    attempt > 1 ? `\n\nThis is fix attempt ${attempt}; an earlier fix task did not make the check pass.` : "";
  const description = [
    `The integration branch fails its ${failure.check} check (\`${failure.command}\`).`,
    "",
    "Failures:",
    ...lines,
    "",
    blame,
    "",
    "Output that matters:",
    "```",
    failure.excerpt,
    "```",
    "",
    "Make the check pass by fixing the code. Do not skip, delete or weaken tests.",
  ].join("\n");
  const scope = [
    ...new Set([...failures.flatMap((entry) => (entry.file === null ? [] : [entry.file])), ...culpritFiles]),
  ].slice(0, maxScope);
  return {
    title,
    description: `${description}${retry}`,
    acceptance: [`\`${failure.command}\` passes`, "no test is skipped, deleted or weakened"],
    scope,
    dependsOn: [],
    priority: 90,
    size: "s",
    composite: false,
    context: failure.excerpt,
  };
}
