import { ProcessGitRunner } from "@longshot/git";
import { afterEach, describe, expect, it } from "vitest";
import { bot, createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import { commitResolution, describeHunks, hunkCount } from "./hunk-resolution.js";
import type { MergeResult } from "./types.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

const registry = (names: string[]) =>
  `export const registry = [${names.map((name) => `"${name}"`).join(", ")}];\n`;

/** t1 lands; t2 changed the same registry line and added a line to notes.md beside t1's. */
async function conflicted(): Promise<Extract<MergeResult, { kind: "conflict" }>> {
  fixture = await createQueueFixture({
    "index.ts": `// api\n${registry([])}`,
    "notes.md": "# notes\n",
    "x.ts": "x\n",
  });
  const first = await fixture.branch("t1", [
    { "index.ts": `// api\n${registry(["a"])}`, "notes.md": "# notes\n- a\n" },
  ]);
  const second = await fixture.branch("t2", [
    { "index.ts": `// api\n${registry(["b"])}`, "notes.md": "# notes\n- b\n", "b.ts": "b\n" },
  ]);
  const queue = fixture.queue();
  queue.enqueue({ taskId: "t0001", attempt: 1, commit: first, message: "Add a\n\nLongshot-Task: t0001\n" });
  queue.enqueue({ taskId: "t0002", attempt: 1, commit: second });
  const results = await queue.drain();
  const conflict = results.find((result) => result.taskId === "t0002");
  if (conflict?.kind !== "conflict") throw new Error(`expected a conflict, got ${JSON.stringify(results)}`);
  return conflict;
}

describe("hunk-sized resolution", () => {
  it("describes only the hunks nobody can settle by rule, with both sides' changes and the commits behind them", async () => {
    const conflict = await conflicted();
    expect(conflict.files).toEqual(["index.ts", "notes.md"]);
    const described = await describeHunks(fixture.git, conflict);
    expect(hunkCount(described)).toBe(1);
    expect(described.hunked[0]?.hunks[0]).toMatchObject({
      id: "index.ts#1",
      integration: [registry(["a"]).trim()],
      task: [registry(["b"]).trim()],
      before: ["// api"],
    });
    // notes.md only gained lines on both sides: the union rule settles it, nobody is asked.
    expect(described.settled.get("notes.md")).toEqual({
      content: "# notes\n- a\n- b\n",
      rule: "union-of-additions",
    });
    expect(described.unanswerable).toEqual([]);
    // t1 was based on the head, so its own commit landed as it was.
    expect(described.integrationCommits.map((commit) => commit.subject)).toEqual(["t1 part 1"]);
    expect(described.integrationDiff).toContain('+export const registry = ["a"];');
    expect(described.taskDiff).toContain('+export const registry = ["b"];');
    // Only the conflicted files: the task's b.ts is not part of what the resolver reads.
    expect(described.taskDiff).not.toContain("b.ts");
  });

  it("writes the answers as one commit on the head it conflicted with, which then lands with the task's other files", async () => {
    const conflict = await conflicted();
    const described = await describeHunks(fixture.git, conflict);
    const context = { git: fixture.git, runner: new ProcessGitRunner() };
    const resolution = await commitResolution(
      context,
      described,
      [{ id: "index.ts#1", resolution: registry(["a", "b"]) }],
      { message: "Add b\n\nLongshot-Task: t0002\n", author: bot, committer: bot },
    );
    if (!resolution.ok) throw new Error(resolution.problems.join(" "));
    const commit = await fixture.git.showCommit(resolution.commit);
    expect(commit?.parents).toEqual([conflict.head]);

    // Another task lands meanwhile, elsewhere: the resolution still lands, on top of it.
    const other = await fixture.branch("t3", [{ "x.ts": "x changed\n" }]);
    const queue = fixture.queue({ landed: ["t0001"] });
    queue.enqueue({ taskId: "t0003", attempt: 1, commit: other });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: resolution.commit });
    const results = await queue.drain();
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed"]);
    expect(await fixture.files()).toEqual({
      "index.ts": `// api\n${registry(["a", "b"])}`,
      "notes.md": "# notes\n- a\n- b\n",
      "b.ts": "b\n",
      "x.ts": "x changed\n",
    });
  });

  it("refuses answers that leave a hunk out and writes nothing", async () => {
    const conflict = await conflicted();
    const described = await describeHunks(fixture.git, conflict);
    const before = await fixture.repo.git(["count-objects"]);
    const resolution = await commitResolution(
      { git: fixture.git, runner: new ProcessGitRunner() },
      described,
      [],
      { message: "x", author: bot, committer: bot },
    );
    expect(resolution).toEqual({ ok: false, problems: ["index.ts#1 has no answer."] });
    expect(await fixture.repo.git(["count-objects"])).toBe(before);
  });

  it("leaves a file deleted on one side and changed on the other to a new attempt", async () => {
    fixture = await createQueueFixture({ "gone.ts": "one\n" });
    const first = await fixture.branch("t1", [{ "gone.ts": null }]);
    const second = await fixture.branch("t2", [{ "gone.ts": "two\n" }]);
    const queue = fixture.queue();
    const conflict = (await enqueueAndDrain(queue, [first, second])).find(
      (result) => result.taskId === "t0002",
    );
    if (conflict?.kind !== "conflict") throw new Error("expected a conflict");
    const described = await describeHunks(fixture.git, conflict);
    expect(described.unanswerable).toEqual(["gone.ts"]);
    const resolution = await commitResolution(
      { git: fixture.git, runner: new ProcessGitRunner() },
      described,
      [],
      { message: "x", author: bot, committer: bot },
    );
    expect(resolution).toEqual({ ok: false, problems: ["gone.ts cannot be resolved hunk by hunk."] });
  });
});
