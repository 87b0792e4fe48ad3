import type { TaskSpec, TaskState } from "@longshot/core";
import type { Failure } from "./failure.js";
import type { Culprit } from "./reconcile.js";
import { isRunnerSummary } from "./test-counts.js";

/** What the reconciler asks the engine to create; the engine assigns the id and records it. */
export interface FixTaskRequest {
  readonly spec: TaskSpec;
  /** The failure the task is for. */
  readonly fingerprint: string;
  /** Every fingerprint it covers (the failures with the same root cause). */
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
 * The spec of a fix task for one root cause: a title naming the check, the problem and where it
 * is (never a test runner's summary line), a description with the failures, the culprit landing
 * and the excerpt, and a scope drawn from the failures (their files and stack traces) and the
 * culprit's changed files. `fallbackScope` is used only when those name nothing, so the scope is
 * never empty.
 */
export function fixTaskSpec(
  failures: readonly [Failure, ...Failure[]],
  culprit: Culprit | null,
  culpritFiles: readonly string[],
  attempt: number,
  fallbackScope: readonly string[] = [],
): TaskSpec {
  const [failure] = failures;
  const lines = failures.map((entry) => {
    const parts = [
      entry.file,
      entry.code,
      entry.test === null ? null : `test "${entry.test}"`,
      entry.cause ?? entry.message,
    ];
    return `- ${parts.filter((part) => part !== null && part !== "").join(": ")}`;
  });
  const blame =
    culprit === null
      ? "The landing that broke it is unknown."
      : `It broke with the landing ${culprit.taskId === null ? "" : `of task ${culprit.taskId} `}at ${culprit.sha.slice(0, 12)} (previous head ${culprit.previous.slice(0, 12)})${culpritFiles.length > 0 ? `, which changed ${culpritFiles.slice(0, 10).join(", ")}` : ""}.`;
  const retry =
    attempt > 1 ? `\n\nThis is fix attempt ${attempt}; an earlier fix task did not make the check pass.` : "";
  const commands = [...new Set(failures.map((entry) => entry.command))];
  const description = [
    `The integration branch fails its ${failure.check} check (\`${failure.command}\`)${failures.length > 1 ? `: ${failures.length} failures with one root cause` : ""}.`,
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
  const named = [...failures.flatMap((entry) => entry.files), ...culpritFiles];
  const scope = [...new Set(named.length > 0 ? named : fallbackScope)].slice(0, maxScope);
  return {
    title: fixTitle(failures),
    description: `${description}${retry}`,
    acceptance: [
      ...commands.map((command) => `\`${command}\` passes`),
      "no test is skipped, deleted or weakened",
    ],
    scope,
    dependsOn: [],
    priority: 90,
    size: "s",
    composite: false,
    context: failure.excerpt,
  };
}

/** "Fix test: TypeError: median is not a function (3 failing tests in src/median.test.ts)". */
export function fixTitle(failures: readonly [Failure, ...Failure[]]): string {
  const [failure] = failures;
  const tests = failures.filter((entry) => entry.test !== null);
  const files = [...new Set(failures.flatMap((entry) => (entry.file === null ? [] : [entry.file])))];
  const where =
    files.length === 0 ? "" : ` in ${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ""}`;
  let subject: string;
  if (tests.length > 0) {
    const count = tests.length === 1 ? `test "${tests[0]!.test}" fails` : `${tests.length} failing tests`;
    const cause = failure.cause ?? failures.find((entry) => entry.cause !== null)?.cause ?? null;
    subject = cause === null || isRunnerSummary(cause) ? `${count}${where}` : `${cause} (${count}${where})`;
  } else {
    const problem = failure.code === null ? failure.message : `${failure.code} ${failure.message}`;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : "";
    subject =
      isRunnerSummary(problem) || problem.trim() === ""
        ? `the check fails${where}`
        : `${problem}${more}${where}`;
  }
  return `Fix ${failure.check}: ${subject}`.slice(0, 200);
}
