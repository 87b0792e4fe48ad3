import { outOfScope } from "@longshot/agent";
import type { Task } from "@longshot/core";
import type { Git } from "@longshot/git";
import type { HandoffFindings } from "./handoff-findings.js";

/** What a hand-off may hold before it goes to the judge and the merge queue. */
export interface HandoffLimits {
  /** TASK_MAX_FILE_KB in bytes. */
  readonly maxFileBytes: number;
  /** TASK_MAX_DIFF_KB in bytes: new or changed content, summed over the files. */
  readonly maxDiffBytes: number;
}

/** Checks a task's work (base to commit) before anyone reviews or lands it. */
export interface HandoffGuard {
  check(task: Task, base: string, commit: string, signal: AbortSignal): Promise<HandoffFindings>;
}

const kib = 1024;

function size(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(bytes / kib)} KiB`;
}

/**
 * The hand-off guard over the orchestrator's repository: a file larger than the file limit, or
 * more new content than the diff limit, rejects the attempt with a sentence naming the files;
 * files outside the task's declared scope (added, changed, deleted or renamed) become concerns
 * for the judge. Sizes come from the object store, so no file is ever read.
 */
export function handoffGuard(git: Git, limits: HandoffLimits): HandoffGuard {
  return {
    async check(task, base, commit, signal) {
      const files = await git.changedFileSizes(base, commit, { signal });
      const rejections: string[] = [];
      const big = files.filter((file) => file.bytes > limits.maxFileBytes);
      if (big.length > 0) {
        const named = big.map((file) => `${file.path} (${size(file.bytes)})`).join(", ");
        rejections.push(
          `Files larger than the ${size(limits.maxFileBytes)} limit (TASK_MAX_FILE_KB) cannot be handed off: ${named}.`,
        );
      }
      const total = files.reduce((sum, file) => sum + file.bytes, 0);
      if (total > limits.maxDiffBytes) {
        rejections.push(
          `The work adds or changes ${size(total)} of content, more than the ${size(limits.maxDiffBytes)} limit (TASK_MAX_DIFF_KB).`,
        );
      }
      const touched = (await git.diffNameStatus(base, commit, { signal })).flatMap((entry) =>
        entry.from === undefined ? [entry.path] : [entry.from, entry.path],
      );
      const outside = outOfScope(new Set(touched), task.scope);
      const concerns =
        outside.length === 0
          ? []
          : [
              `The commit changes files outside the task's declared scope (${task.scope.join(", ")}): ${outside.join(", ")}.`,
            ];
      return { rejections, concerns };
    },
  };
}
