import { AbortError, InternalError } from "@longshot/core";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

describe("ordering", () => {
  it("lands by priority, then arrival", async () => {
    fixture = await createQueueFixture();
    const queue = fixture.queue();
    const plan = [
      { taskId: "t0001", priority: 10 },
      { taskId: "t0002" },
      { taskId: "t0003", priority: 90 },
      { taskId: "t0004", priority: 50 },
      { taskId: "t0005", priority: 90 },
    ];
    for (const item of plan) {
      const commit = await fixture.branch(item.taskId, [{ [`${item.taskId}.txt`]: "x\n" }]);
      queue.enqueue({ attempt: 1, commit, ...item });
    }
    const results = await queue.drain();
    expect(results.map((result) => result.taskId)).toEqual(["t0003", "t0005", "t0002", "t0004", "t0001"]);
    const log = await fixture.git.log(fixture.repo.initial, "integration");
    expect(log.map((entry) => entry.subject).reverse()).toEqual(
      ["t0003", "t0005", "t0002", "t0004", "t0001"].map((taskId) => `${taskId} part 1`),
    );
  });

  it("never lands a task before the tasks it depends on", async () => {
    fixture = await createQueueFixture();
    const queue = fixture.queue();
    const api = await fixture.branch("api", [{ "api.ts": "api\n" }]);
    const ui = await fixture.branch("ui", [{ "ui.ts": "ui\n" }]);
    const docs = await fixture.branch("docs", [{ "docs.md": "docs\n" }]);
    queue.enqueue({
      taskId: "t0003",
      attempt: 1,
      commit: docs,
      dependsOn: ["t0001", "t0002"],
      priority: 100,
    });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: ui, dependsOn: ["t0001"], priority: 90 });

    // Nothing is ready: both wait for t0001, which has not even been enqueued.
    expect(await queue.drain()).toEqual([]);
    expect(queue.pending().map((pending) => [pending.request.taskId, pending.waitingFor])).toEqual([
      ["t0003", ["t0001", "t0002"]],
      ["t0002", ["t0001"]],
    ]);
    expect(await fixture.head()).toBe(fixture.repo.initial);

    queue.enqueue({ taskId: "t0001", attempt: 1, commit: api, priority: 0 });
    const results = await queue.drain();
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "landed"],
      ["t0003", "landed"],
    ]);
    expect(queue.pending()).toEqual([]);
  });

  it("keeps dependents waiting when a dependency conflicts", async () => {
    fixture = await createQueueFixture({ "app.ts": "1\n" });
    const queue = fixture.queue();
    const blocker = await fixture.branch("blocker", [{ "app.ts": "2\n" }]);
    const dependency = await fixture.branch("dependency", [{ "app.ts": "3\n" }]);
    const dependent = await fixture.branch("dependent", [{ "other.ts": "o\n" }]);
    const results = await enqueueAndDrain(queue, [
      blocker,
      dependency,
      { commit: dependent, dependsOn: ["t0002"] },
    ]);
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "conflict"],
    ]);
    expect(queue.pending().map((pending) => [pending.request.taskId, pending.waitingFor])).toEqual([
      ["t0003", ["t0002"]],
    ]);
  });

  it("treats tasks landed in an earlier process as landed", async () => {
    fixture = await createQueueFixture();
    const queue = fixture.queue({ landed: ["t0001"] });
    const commit = await fixture.branch("t2", [{ "two.txt": "2\n" }]);
    queue.enqueue({ taskId: "t0002", attempt: 1, commit, dependsOn: ["t0001"] });
    expect(await queue.drain()).toMatchObject([{ kind: "landed", taskId: "t0002" }]);
  });

  it("refuses to enqueue a task that already landed", async () => {
    fixture = await createQueueFixture();
    const queue = fixture.queue({ landed: ["t0001"] });
    expect(() => queue.enqueue({ taskId: "t0001", attempt: 2, commit: fixture.repo.initial })).toThrow(
      InternalError,
    );
  });

  it("puts every undecided request back when a drain is cancelled", async () => {
    fixture = await createQueueFixture();
    const controller = new AbortController();
    // The gate is where cancellation arrives in practice: a long build the user stops.
    const queue = fixture.queue({
      gate: {
        name: "build",
        check: async () => {
          controller.abort();
          return true;
        },
      },
    });
    for (const taskId of ["t0001", "t0002", "t0003"]) {
      queue.enqueue({
        taskId,
        attempt: 1,
        commit: await fixture.branch(taskId, [{ [`${taskId}.txt`]: "x\n" }]),
      });
    }
    await expect(queue.drain({ signal: controller.signal })).rejects.toThrow(AbortError);
    expect(await fixture.head()).toBe(fixture.repo.initial);
    expect(queue.pending().map((pending) => pending.request.taskId)).toEqual(["t0001", "t0002", "t0003"]);
    // A queue without the cancelling gate picks the requests up again.
    const retry = fixture.queue();
    for (const { request } of queue.pending()) retry.enqueue(request);
    expect((await retry.drain()).map((result) => result.kind)).toEqual(["landed", "landed", "landed"]);
  });

  it("emits merge-enqueue for every request", async () => {
    fixture = await createQueueFixture();
    const queue = fixture.queue();
    queue.enqueue({ taskId: "t0001", attempt: 3, commit: "abc" });
    expect(fixture.events).toEqual([{ type: "merge-enqueue", taskId: "t0001", attempt: 3, commit: "abc" }]);
  });
});
