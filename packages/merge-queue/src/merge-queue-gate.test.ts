import type { Git } from "@longshot/git";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import type { GateCandidate, MergeGate } from "./types.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

/** A gate that fails any candidate containing a file whose content says BROKEN, and records its calls. */
function brokenFileGate(git: Git): { gate: MergeGate; calls: GateCandidate[] } {
  const calls: GateCandidate[] = [];
  const gate: MergeGate = async (candidate, signal) => {
    calls.push(candidate);
    for (const path of await git.listFiles(candidate.tree, { signal })) {
      if ((await git.readFile(candidate.tree, path, { signal }))?.includes("BROKEN")) return false;
    }
    return true;
  };
  return { gate, calls };
}

/** A fresh fixture and a queue whose `name` gate (see brokenFileGate) tests batches of `batchSize`. */
async function gatedQueue(name: string, batchSize: number) {
  fixture = await createQueueFixture();
  const { gate, calls } = brokenFileGate(fixture.git);
  return { queue: fixture.queue({ gate: { check: gate, name }, batchSize }), calls };
}

/** Tasks t0001…t000<count>, each adding its own file: `content(index)`. */
async function taskBranches(count: number, content: (index: number) => string): Promise<string[]> {
  const tips: string[] = [];
  for (let index = 1; index <= count; index++) {
    const taskId = `t000${index}`;
    tips.push(await fixture.branch(taskId, [{ [`${taskId}.txt`]: content(index) }]));
  }
  return tips;
}

describe("gated batches", () => {
  it("tests a batch at once and bisects a failing batch down to the one bad candidate", async () => {
    const { queue, calls } = await gatedQueue("test", 8);
    const tips = await taskBranches(8, (index) => (index === 6 ? "BROKEN\n" : "fine\n"));
    const results = await enqueueAndDrain(queue, tips);

    expect(results.filter((result) => result.kind === "gate-failed").map((result) => result.taskId)).toEqual([
      "t0006",
    ]);
    expect(results.filter((result) => result.kind === "landed")).toHaveLength(7);
    // The whole batch, then halves: 1–4 pass; 5–8 is known bad on that head; 5–6 fail; 5 passes;
    // 6 alone is then known bad; 7–8 pass. Five gate runs instead of eight.
    expect(calls.map((call) => call.taskIds.map((taskId) => Number(taskId.slice(1))))).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [5, 6],
      [5],
      [7, 8],
    ]);
    expect(fixture.events.filter((event) => event.type === "merge-gate")).toEqual(
      calls.map((call, index) => ({
        type: "merge-gate",
        taskIds: call.taskIds,
        pass: [false, true, false, true, true][index],
        check: "test",
      })),
    );
    const files = await fixture.files();
    expect(Object.keys(files)).toHaveLength(8);
    expect(Object.values(files).some((content) => content.includes("BROKEN"))).toBe(false);
    // The branch only ever moved to candidates the gate passed.
    const history = await fixture.git.log(fixture.repo.initial, "integration");
    for (const commit of history) {
      expect(await fixture.git.readFile(commit.sha, "t0006.txt")).toBeNull();
    }
  });

  it("lands a passing batch with one gate run and one ref move", async () => {
    const { queue, calls } = await gatedQueue("build", 3);
    const results = await enqueueAndDrain(queue, await taskBranches(5, () => "ok\n"));
    expect(results.every((result) => result.kind === "landed")).toBe(true);
    expect(calls.map((call) => call.taskIds.length)).toEqual([3, 2]);
    const reflog = await fixture.repo.git(["reflog", "--format=%H", "refs/heads/integration"]);
    expect(reflog.split("\n")).toHaveLength(3);
  });

  it("keeps a dependent of a rejected candidate waiting instead of landing it", async () => {
    const { queue } = await gatedQueue("test", 4);
    const good = await fixture.branch("good", [{ "good.txt": "ok\n" }]);
    const bad = await fixture.branch("bad", [{ "bad.txt": "BROKEN\n" }]);
    const dependent = await fixture.branch("dependent", [{ "uses-bad.txt": "ok\n" }]);
    const results = await enqueueAndDrain(queue, [good, bad, { commit: dependent, dependsOn: ["t0002"] }]);
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "gate-failed"],
    ]);
    expect(queue.pending().map((pending) => pending.request.taskId)).toEqual(["t0003"]);
    expect(Object.keys(await fixture.files()).sort()).toEqual(["README.md", "good.txt"]);
  });
});
