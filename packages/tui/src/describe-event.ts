import type { LongshotEvent } from "@longshot/core";

/** One readable line for an event, or null when it is too small to mention (also used for plain output). */
export function describeEvent(event: LongshotEvent): string | null {
  switch (event.type) {
    case "run-start":
      return `run ${event.runId} started: ${event.request}`;
    case "run-resume":
      return `run ${event.runId} resumed`;
    case "run-pause":
      return "paused";
    case "run-unpause":
      return "unpaused";
    case "run-drain":
      return `draining: ${event.reason}`;
    case "run-end":
      return `run ended ${event.status}: ${event.reason}`;
    case "plan-batch":
      return event.taskIds.length === 0
        ? `planner round ${event.batch}: no new tasks`
        : `plan batch ${event.batch}: ${event.taskIds.length} task(s)${event.final ? " (final)" : ""}`;
    case "plan-reject":
      return `plan rejected: ${event.problems.join("; ")}`;
    case "plan-complete":
      return `plan complete: ${event.reason}`;
    case "task-add":
      return `${event.task.id} added (${event.task.kind}): ${event.task.title}`;
    case "task-transition":
      // Landings are told by merge-land; failures, cancellations and splits only here.
      return event.to === "failed" ||
        event.to === "cancelled" ||
        event.to === "split" ||
        event.to === "reverted"
        ? `${event.taskId} ${event.to}: ${event.reason}`
        : null;
    case "attempt-start":
      return `${event.taskId} attempt ${event.attempt} on ${event.model} (${event.sandbox})`;
    case "attempt-end":
      return `${event.taskId} attempt ${event.attempt} ${event.outcome}${event.reason ? `: ${event.reason}` : ""}`;
    case "judge-verdict":
      return `${event.taskId} ${event.accepted ? "accepted" : "rejected"}: ${event.feedback}`;
    case "merge-land":
      return event.noop
        ? `${event.taskId} landed nothing new: its work was already on the branch`
        : `${event.taskId} landed ${event.sha.slice(0, 10)}`;
    case "merge-auto-resolved":
      return `${event.taskId} conflict resolved by the queue (${event.rule}, ${event.hunks} hunk${event.hunks === 1 ? "" : "s"}): ${event.files.join(", ")}`;
    case "merge-conflict":
      return `${event.taskId} conflicts in ${event.files.join(", ")}`;
    case "conflict-resolution":
      return event.method === "hunks"
        ? `${event.taskId} conflict ${event.ok ? "resolved" : "not resolved"} at hunk size (${event.hunks} hunk${event.hunks === 1 ? "" : "s"})${event.ok ? "" : `: ${event.reason}`}`
        : `${event.taskId} conflict re-run ${event.ok ? "handed off" : `ended: ${event.reason}`}`;
    case "merge-revert":
      return `reverted ${event.reverted.slice(0, 10)} (${event.taskId}): ${event.reason}`;
    case "merge-gate":
      return `gate ${event.pass ? "passed" : "failed"} for ${event.taskIds.join(", ")}`;
    case "merge-push":
      return `push ${event.ref} ${event.ok ? "ok" : `failed: ${event.error ?? ""}`}`;
    case "health-check": {
      const failing = event.checks.filter((check) => !check.ok).map((check) => check.name);
      return `health ${event.green ? "green" : `red (${failing.join(", ")})`} at ${event.commit.slice(0, 10)}`;
    }
    case "fix-create":
      return `fix task ${event.taskId} for ${event.fingerprint}${event.culprit ? ` (culprit ${event.culprit.slice(0, 10)})` : ""}`;
    case "critic-report":
      return `critic ${event.critic} (${event.taskId}): ${event.findings.length} finding(s), ${event.taskIds.length} task(s)`;
    case "budget-refuse":
      return `budget reached: ${event.kind} ${event.used} of ${event.limit}`;
    case "target-update":
      return event.landed
        ? `${event.branch} updated to ${event.sha?.slice(0, 10) ?? ""}`
        : `${event.branch} left as is: ${event.command ?? ""}`;
    case "model-call-retry": {
      const who = `${event.role}${event.taskId ? ` ${event.taskId}` : ""}`;
      const why = event.status === null ? event.reason : `HTTP ${event.status}`;
      const wait = event.delayMs > 0 ? `, again in ${(event.delayMs / 1000).toFixed(1)} s` : "";
      return `${who} model call retry ${event.attempt} (${event.endpoint}: ${why}${wait})`;
    }
    case "log":
      return event.level === "debug" ? null : event.message;
    case "plan-start":
    case "task-update":
    case "model-call-start":
    case "model-call-end":
    case "tool-call-start":
    case "tool-call-end":
    case "agent-text":
    case "sandbox-create":
    case "sandbox-destroy":
    case "merge-enqueue":
      return null;
  }
}
