import { afterEach, describe, expect, it } from "vitest";
import { bot, createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

describe("rebase (default)", () => {
  it("squashes a multi-commit branch forked from an older head into one commit on the head", async () => {
    fixture = await createQueueFixture({ "README.md": "# app\n", "shared.txt": "1\n2\n3\n" });
    const first = await fixture.branch("t1", [{ "one.txt": "1\n" }]);
    const second = await fixture.branch("t2", [
      { "two.txt": "2\n", "shared.txt": "1\n2\nthree\n" },
      { "two.txt": "2 revised\n" },
    ]);
    const queue = fixture.queue();
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: first });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: second, message: "t0002: add two" });
    const results = await queue.drain();

    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "landed"],
    ]);
    // t1 was based on the head, so its own commit landed unchanged.
    expect(results[0]).toMatchObject({ sha: first, previous: fixture.repo.initial, resolved: [] });
    const head = await fixture.head();
    expect(results[1]).toMatchObject({ sha: head, previous: first, strategy: "rebase" });
    const squashed = await fixture.git.showCommit(head);
    expect(squashed).toMatchObject({
      parents: [first],
      committer: bot,
      author: { name: "Longshot Test", email: "test@longshot.invalid" },
      message: "t0002: add two\n\nLongshot-Task: t0002",
    });
    expect(await fixture.files()).toEqual({
      "README.md": "# app\n",
      "one.txt": "1\n",
      "shared.txt": "1\n2\nthree\n",
      "two.txt": "2 revised\n",
    });
    expect(fixture.events.filter((event) => event.type === "merge-land")).toEqual([
      {
        type: "merge-land",
        taskId: "t0001",
        attempt: 1,
        sha: first,
        previous: fixture.repo.initial,
        strategy: "rebase",
        noop: false,
      },
      {
        type: "merge-land",
        taskId: "t0002",
        attempt: 1,
        sha: head,
        previous: first,
        strategy: "rebase",
        noop: false,
      },
    ]);
  });

  it("never touches the working tree or the checked-out branch", async () => {
    fixture = await createQueueFixture();
    const tip = await fixture.branch("t1", [{ "work.txt": "w\n" }]);
    const other = await fixture.branch("t2", [{ "more.txt": "m\n" }]);
    const queue = fixture.queue();
    await enqueueAndDrain(queue, [tip, other]);
    expect(await fixture.repo.git(["status", "--porcelain"])).toBe("");
    expect(await fixture.repo.sha("main")).toBe(fixture.repo.initial);
    expect(await fixture.git.currentBranch()).toBe("main");
  });

  it("reports work that is already on the branch as a no-op: no commit, no move, yet counted as landed", async () => {
    fixture = await createQueueFixture();
    const tip = await fixture.branch("t1", [{ "work.txt": "w\n" }]);
    const queue = fixture.queue();
    await enqueueAndDrain(queue, [tip]);
    const copy = await fixture.branch("t1-copy", [{ "work.txt": "w\n" }]);
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: copy });
    expect(await queue.drain()).toEqual([
      {
        kind: "no-op",
        taskId: "t0002",
        attempt: 1,
        head: tip,
        strategy: "rebase",
        resolved: [],
        casRetries: 0,
      },
    ]);
    expect(await fixture.head()).toBe(tip);
    expect(queue.hasLanded("t0002")).toBe(true);
    expect(fixture.events.filter((event) => event.type === "merge-land").at(-1)).toMatchObject({
      taskId: "t0002",
      sha: tip,
      previous: tip,
      noop: true,
    });
  });
});

describe("merge-commit", () => {
  it("records a merge commit with the head and the task tip as parents", async () => {
    fixture = await createQueueFixture();
    const first = await fixture.branch("t1", [{ "one.txt": "1\n" }]);
    const second = await fixture.branch("t2", [{ "two.txt": "2\n" }, { "two.txt": "2b\n" }]);
    const queue = fixture.queue({ strategy: "merge-commit" });
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: first });
    queue.enqueue({ taskId: "t0002", attempt: 2, commit: second });
    const results = await queue.drain();
    expect(results.every((result) => result.kind === "landed")).toBe(true);
    const head = await fixture.head();
    const merge = await fixture.git.showCommit(head);
    const firstMerge = await fixture.git.showCommit(`${head}^1`);
    expect(firstMerge?.parents).toEqual([fixture.repo.initial, first]);
    expect(merge?.parents).toEqual([firstMerge?.sha, second]);
    expect(merge?.message).toBe("Merge t0002: t2 part 2\n\nLongshot-Task: t0002");
    expect(await fixture.files()).toEqual({ "README.md": "# app\n", "one.txt": "1\n", "two.txt": "2b\n" });
    // Both task histories are kept.
    expect(await fixture.git.isAncestor(second, head)).toBe(true);
  });
});

describe("fast-forward", () => {
  it("lands a branch based on the head and skips one that is not", async () => {
    fixture = await createQueueFixture();
    const first = await fixture.branch("t1", [{ "one.txt": "1\n" }]);
    const stacked = await fixture.branch("t2", [{ "two.txt": "2\n" }, { "two.txt": "2b\n" }], first);
    const stale = await fixture.branch("t3", [{ "three.txt": "3\n" }]);
    const queue = fixture.queue({ strategy: "fast-forward" });
    const results = await enqueueAndDrain(queue, [first, stacked, stale]);
    expect(results).toMatchObject([
      { kind: "landed", taskId: "t0001", sha: first },
      { kind: "landed", taskId: "t0002", sha: stacked },
      { kind: "skipped", taskId: "t0003", reason: "not-fast-forward" },
    ]);
    expect(await fixture.head()).toBe(stacked);
    expect(queue.hasLanded("t0003")).toBe(false);
  });
});

describe("requests that cannot be integrated", () => {
  it("skips a request whose commit does not exist and keeps going", async () => {
    fixture = await createQueueFixture();
    const tip = await fixture.branch("t2", [{ "two.txt": "2\n" }]);
    const queue = fixture.queue();
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: "no-such-branch" });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: tip });
    expect(await queue.drain()).toMatchObject([
      { kind: "skipped", taskId: "t0001", reason: "missing-commit" },
      { kind: "landed", taskId: "t0002" },
    ]);
  });
});
