import { ManualClock, type NewEvent, type Task } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { fakeTask, seededRandom } from "@longshot/testkit";

export interface SyntheticRun {
  readonly runId: string;
  readonly attempts: number;
  readonly failedTasks: number;
}

interface Timed {
  readonly at: number;
  readonly order: number;
  readonly event: NewEvent;
}

/**
 * Appends a large run straight to the store: `tasks` tasks on `workers` worker slots, about a
 * third retried after a rejection or a conflict, every twentieth failing for good with long,
 * hostile transcripts, health sweeps (some red) and model calls with a price.
 */
export function appendSyntheticRun(
  store: SqliteStore,
  clock: ManualClock,
  options: { runId: string; tasks: number; workers: number; seed?: number },
): SyntheticRun {
  const { runId } = options;
  const next = seededRandom(options.seed ?? 7);
  const start = clock.now();
  const timed: Timed[] = [];
  let order = 0;
  const at = (time: number, event: NewEvent) => timed.push({ at: time, order: order++, event });
  at(start, {
    type: "run-start",
    request: "Build a big thing per SPEC.md",
    repo: "/repo",
    baseCommit: "b".repeat(40),
    targetBranch: "main",
    integrationBranch: `longshot/${runId}/integration`,
    settings: { maxWorkers: options.workers },
  });
  const free = new Array<number>(options.workers).fill(start + 1000);
  let attempts = 0;
  let failedTasks = 0;
  let merged = 0;
  for (let index = 1; index <= options.tasks; index += 1) {
    const id = `t${String(index).padStart(4, "0")}`;
    at(start + 1, { type: "task-add", task: task(runId, id, start) });
    at(start + 2, { type: "task-transition", taskId: id, from: "pending", to: "ready", reason: "ready" });
    const doomed = index % 20 === 0;
    const tries = doomed ? 2 : index % 3 === 0 ? 2 : 1;
    let readyAt = start + 1000;
    for (let number = 1; number <= tries; number += 1) {
      const slot = free.indexOf(Math.min(...free));
      const begin = Math.max(free[slot]!, readyAt) + Math.floor(next() * 200);
      const end = begin + 2000 + Math.floor(next() * 30_000);
      free[slot] = end + 1;
      readyAt = end + 5;
      attempts += 1;
      const last = number === tries;
      at(begin, { type: "task-transition", taskId: id, from: "ready", to: "running", reason: "dispatched" });
      at(begin, {
        type: "attempt-start",
        taskId: id,
        attempt: number,
        model: number === 1 ? "model-a" : "model-b",
        harness: "builtin",
        sandbox: `sb-${slot}`,
        baseCommit: "b".repeat(40),
      });
      at(begin + 10, {
        type: "model-call-end",
        callId: `${id}-${number}`,
        role: "worker",
        taskId: id,
        model: number === 1 ? "model-a" : "model-b",
        endpoint: "e",
        ok: true,
        error: null,
        usage: { promptTokens: 4000, completionTokens: 600, cachedTokens: 1000 },
        costUsd: 0.012,
        durationMs: 900,
        retries: 0,
      });
      if (doomed) {
        appendTranscript(at, id, number, begin);
        at(end, {
          type: "attempt-end",
          taskId: id,
          attempt: number,
          outcome: "failed",
          commit: null,
          handoff: null,
          reason: `tests keep failing <img src=x onerror=alert(${index})> ${"and more detail ".repeat(40)}`,
        });
        const to = last ? "failed" : "ready";
        at(end, { type: "task-transition", taskId: id, from: "running", to, reason: `attempt ${number} failed` });
        if (last) failedTasks += 1;
        continue;
      }
      at(end, {
        type: "attempt-end",
        taskId: id,
        attempt: number,
        outcome: "complete",
        commit: "c".repeat(40),
        handoff: { status: "complete", summary: "done", filesChanged: [], concerns: [], suggestions: [] },
        reason: "handed off",
      });
      at(end, { type: "task-transition", taskId: id, from: "running", to: "review", reason: "handed off" });
      const rejected = !last && index % 2 === 0;
      at(end + 1, { type: "judge-verdict", taskId: id, attempt: number, accepted: !rejected, feedback: "ok" });
      if (rejected) {
        at(end + 1, { type: "task-transition", taskId: id, from: "review", to: "ready", reason: "rejected" });
        continue;
      }
      at(end + 1, { type: "task-transition", taskId: id, from: "review", to: "merging", reason: "accepted" });
      if (!last) {
        at(end + 2, { type: "merge-conflict", taskId: id, attempt: number, files: ["src/index.ts"] });
        at(end + 2, { type: "task-transition", taskId: id, from: "merging", to: "ready", reason: "conflict" });
        continue;
      }
      merged += 1;
      const sha = `${index.toString(16).padStart(8, "0")}${"d".repeat(32)}`;
      at(end + 2, { type: "merge-land", taskId: id, attempt: number, sha, previous: "p".repeat(40), strategy: "rebase" });
      at(end + 2, { type: "task-transition", taskId: id, from: "merging", to: "landed", reason: "landed" });
      if (merged % 25 === 0) {
        const green = merged % 50 !== 0;
        at(end + 3, {
          type: "health-check",
          commit: sha,
          green,
          checks: [
            { name: "build", command: "npm run build", ok: true, durationMs: 900, counts: null, excerpt: "" },
            {
              name: "test",
              command: "npm test",
              ok: green,
              durationMs: 4000,
              counts: { passed: merged, failed: green ? 0 : 2, skipped: 1 },
              excerpt: green ? "" : "not ok 3 - <b>bold</b> claim\n".repeat(200),
            },
          ],
        });
      }
    }
  }
  const end = Math.max(...free) + 500;
  at(end, { type: "run-end", status: "red", reason: `${failedTasks} task(s) failed`, head: null });
  timed.sort((left, right) => left.at - right.at || left.order - right.order);
  for (const item of timed) {
    clock.advance(item.at - clock.now());
    store.append(runId, item.event);
  }
  return { runId, attempts, failedTasks };
}

function appendTranscript(at: (time: number, event: NewEvent) => void, id: string, number: number, begin: number) {
  for (let call = 0; call < 60; call += 1) {
    const time = begin + 20 + call * 10;
    const callId = `${id}-${number}-${call}`;
    at(time, { type: "tool-call-start", taskId: id, attempt: number, callId, tool: "run", input: `{"command":"npm test ${call}"}` });
    at(time + 5, {
      type: "tool-call-end",
      taskId: id,
      attempt: number,
      callId,
      tool: "run",
      ok: false,
      output: `</pre><script>alert("${callId}")</script>\n${"FAIL src/x.test.ts\n".repeat(2000)}`,
      durationMs: 5,
    });
    at(time + 6, { type: "agent-text", taskId: id, attempt: number, text: `Trying again ${"<i>".repeat(500)}` });
  }
}

function task(runId: string, id: string, createdAt: number): Task {
  return fakeTask(runId, id, { title: `Implement part ${id} of the big thing`, createdAt });
}

/** Runs `use` on a fresh in-memory store whose clock starts at `at`, closing the store after it. */
export function withMemoryStore<T>(at: number, use: (store: SqliteStore, clock: ManualClock) => T): T {
  const clock = new ManualClock(at);
  const store = new SqliteStore(":memory:", { clock });
  try {
    return use(store, clock);
  } finally {
    store.close();
  }
}

/** A synthetic run (see appendSyntheticRun) in a store of its own at time `at`, for `use`. */
export function withSyntheticRun<T>(
  at: number,
  options: Parameters<typeof appendSyntheticRun>[2],
  use: (store: SqliteStore, run: SyntheticRun) => T,
): T {
  return withMemoryStore(at, (store, clock) => use(store, appendSyntheticRun(store, clock, options)));
}
