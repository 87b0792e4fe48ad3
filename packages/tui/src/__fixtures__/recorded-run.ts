import type { LongshotEvent, Task } from "@longshot/core";

/** A recorded run: `tasks` tasks, `workers` of them running at once, then landing in order. */
export function recordedRun(options: { tasks: number; workers: number; start?: number }): LongshotEvent[] {
  const events: LongshotEvent[] = [];
  let seq = 0;
  let at = options.start ?? Date.UTC(2026, 10, 21, 12, 0, 0);
  const push = (body: Record<string, unknown>, step = 50): void => {
    seq += 1;
    at += step;
    events.push({ runId: "r-demo", seq, at, ...body } as LongshotEvent);
  };
  push({ type: "run-start", request: "Build per SPEC.md", repo: "/repo", baseCommit: "a".repeat(40), targetBranch: "main", integrationBranch: "longshot/r-demo/integration", settings: {} });
  for (let index = 1; index <= options.tasks; index++) {
    const id = `t${String(index).padStart(4, "0")}`;
    const task: Task = {
      id,
      runId: "r-demo",
      title: `Module ${index}`,
      description: "x",
      acceptance: [],
      scope: [`src/m${index}.ts`],
      dependsOn: [],
      priority: 50,
      size: "s",
      composite: false,
      context: "",
      kind: index === options.tasks ? "fix" : "plan",
      branch: `longshot/r-demo/${id}`,
      parentId: null,
      state: "pending",
      attempts: 0,
      fingerprint: null,
      createdAt: at,
    };
    push({ type: "task-add", task }, 1);
  }
  for (let index = 1; index <= options.tasks; index++) {
    const id = `t${String(index).padStart(4, "0")}`;
    push({ type: "task-transition", taskId: id, from: "pending", to: "ready", reason: "dependencies landed" }, 1);
  }
  const running: string[] = [];
  for (let index = 1; index <= options.tasks; index++) {
    const id = `t${String(index).padStart(4, "0")}`;
    push({ type: "task-transition", taskId: id, from: "ready", to: "running", reason: "dispatched" }, 5);
    push({ type: "attempt-start", taskId: id, attempt: 1, model: "fake-worker", harness: "builtin", sandbox: "local", baseCommit: "a".repeat(40) }, 5);
    push({ type: "sandbox-create", taskId: id, sandbox: `wt-${id}`, provider: "local", readyMs: 80 }, 5);
    push({ type: "tool-call-start", taskId: id, attempt: 1, callId: `c${index}`, tool: "write_file", input: "{}" }, 5);
    push({ type: "model-call-end", callId: `m${index}`, role: "worker", taskId: id, model: "fake-worker", endpoint: "fake", ok: true, error: null, usage: { promptTokens: 900, completionTokens: 100, cachedTokens: 0 }, costUsd: 0.002, durationMs: 300, retries: 0 }, 5);
    running.push(id);
    if (running.length >= options.workers) {
      const done = running.shift()!;
      push({ type: "attempt-end", taskId: done, attempt: 1, outcome: "complete", commit: "c".repeat(40), handoff: null, reason: "" }, 100);
      push({ type: "task-transition", taskId: done, from: "running", to: "merging", reason: "accepted" }, 5);
      push({ type: "merge-enqueue", taskId: done, attempt: 1, commit: "c".repeat(40) }, 5);
      if (Number(done.slice(1)) % 7 === 0) {
        push({ type: "merge-conflict", taskId: done, attempt: 1, files: ["src/shared.ts"] }, 5);
        push({ type: "task-transition", taskId: done, from: "merging", to: "ready", reason: "conflict" }, 5);
      } else {
        push({ type: "merge-land", taskId: done, attempt: 1, sha: `${done}`.padEnd(40, "0"), previous: "a".repeat(40), strategy: "rebase", noop: false }, 5);
        push({ type: "task-transition", taskId: done, from: "merging", to: "landed", reason: "landed" }, 5);
      }
    }
  }
  push({ type: "health-check", commit: "d".repeat(40), green: false, checks: [{ name: "test", command: "npm test", ok: false, durationMs: 900, counts: { passed: 10, failed: 1, skipped: 0 }, excerpt: "FAIL src/m3.test.ts" }] }, 200);
  return events;
}
