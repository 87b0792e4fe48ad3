import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import { describeConflict } from "./describe-conflict.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

describe("conflicts", () => {
  it("returns the conflicted files as an outcome and leaves the branch without markers", async () => {
    fixture = await createQueueFixture({ "app.ts": "export const a = 1;\n", "b.ts": "b\n", "c.ts": "c\n" });
    const winner = await fixture.branch("t1", [{ "app.ts": "export const a = 2;\n", "b.ts": "b from t1\n" }]);
    const loser = await fixture.branch("t2", [
      { "app.ts": "export const a = 3;\n", "b.ts": "b from t2\n", "c.ts": "c from t2\n", "new.ts": "n\n" },
    ]);
    const after = await fixture.branch("t3", [{ "d.ts": "d\n" }]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [winner, loser, after]);

    // t0002 conflicts with t0001, which is ahead of it; t0003 lands meanwhile.
    expect(results.map((result) => [result.taskId, result.kind]).sort()).toEqual([
      ["t0001", "landed"],
      ["t0002", "conflict"],
      ["t0003", "landed"],
    ]);
    const conflict = results.find((result) => result.taskId === "t0002");
    if (conflict?.kind !== "conflict") throw new Error("expected a conflict");
    expect(conflict).toMatchObject({
      files: ["app.ts", "b.ts"],
      head: await fixture.head(),
      tip: loser,
      attempt: 1,
    });
    expect(fixture.events).toContainEqual({
      type: "merge-conflict",
      taskId: "t0002",
      attempt: 1,
      files: ["app.ts", "b.ts"],
    });

    const files = await fixture.files();
    expect(files).toEqual({
      "app.ts": "export const a = 2;\n",
      "b.ts": "b from t1\n",
      "c.ts": "c\n",
      "d.ts": "d\n",
    });
    expect(Object.values(files).some((content) => content.includes("<<<<<<<"))).toBe(false);
    expect(queue.hasLanded("t0002")).toBe(false);
    expect(queue.pending()).toEqual([]);
  });

  it("describes a conflict for a resolution attempt: marked files, the other side's changes, the task's diff", async () => {
    fixture = await createQueueFixture({ "app.ts": "export const a = 1;\n" });
    const winner = await fixture.branch("t1", [{ "app.ts": "export const a = 2;\n", "w.ts": "w\n" }]);
    const loser = await fixture.branch("t2", [{ "app.ts": "export const a = 3;\n" }]);
    const queue = fixture.queue();
    const [, conflict] = await enqueueAndDrain(queue, [winner, loser]);
    if (conflict?.kind !== "conflict") throw new Error("expected a conflict");

    const report = await describeConflict(fixture.git, conflict);
    expect(report.base).toBe(fixture.repo.initial);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]?.path).toBe("app.ts");
    expect(report.files[0]?.content).toMatch(
      /<<<<<<< .*\nexport const a = 2;\n=======\nexport const a = 3;\n>>>>>>> /,
    );
    expect(report.headCommits.map((commit) => commit.sha)).toEqual([winner]);
    expect(report.headChanges).toEqual([
      { status: "M", path: "app.ts" },
      { status: "A", path: "w.ts" },
    ]);
    expect(report.taskDiff).toContain("-export const a = 1;\n+export const a = 3;");
  });

  it("lands a resolution attempt built on the new head", async () => {
    fixture = await createQueueFixture({ "app.ts": "export const a = 1;\n" });
    const winner = await fixture.branch("t1", [{ "app.ts": "export const a = 2;\n" }]);
    const loser = await fixture.branch("t2", [{ "app.ts": "export const a = 3;\n" }]);
    const queue = fixture.queue();
    await enqueueAndDrain(queue, [winner, loser]);
    const resolved = await fixture.branch(
      "t2-resolved",
      [{ "app.ts": "export const a = 5;\n" }],
      await fixture.head(),
    );
    queue.enqueue({ taskId: "t0002", attempt: 2, commit: resolved });
    expect(await queue.drain()).toMatchObject([
      { kind: "landed", taskId: "t0002", attempt: 2, sha: resolved },
    ]);
  });
});
