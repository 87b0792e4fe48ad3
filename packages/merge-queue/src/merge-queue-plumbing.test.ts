import { ManualClock } from "@longshot/core";
import { Git, type GitRunner, type GitRunRequest, ProcessGitRunner } from "@longshot/git";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import { LocalBranchTarget } from "./local-branch-target.js";
import type { MergeResult } from "./types.js";

/** Counts the one-shot git processes a queue starts, by subcommand. */
class CountingRunner implements GitRunner {
  readonly inner = new ProcessGitRunner();
  readonly runs: string[] = [];

  run(request: GitRunRequest) {
    this.runs.push(request.args.find((arg) => !arg.startsWith("-")) ?? "");
    return this.inner.run(request);
  }

  openSession = this.inner.openSession.bind(this.inner);
  openStream = this.inner.openStream.bind(this.inner);
}

let fixtures: QueueFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures) await fixture.repo.cleanup();
  fixtures = [];
});

/**
 * Two queues land the same tasks on two integration branches of one repository, one over
 * long-lived git and one with a git process per question: tasks from the initial head and from a
 * later head, a conflict, and edits of a shared file.
 */
async function landBoth(): Promise<{
  withPlumbing: MergeResult[];
  without: MergeResult[];
  fixture: QueueFixture;
}> {
  const fixture = await createQueueFixture({ "README.md": "# app\n", "src/shared.ts": "1\n2\n3\n" });
  fixtures.push(fixture);
  await fixture.repo.git(["branch", "integration-b", fixture.repo.initial]);
  const clock = new ManualClock(1_700_000_000_000);
  const queues = [
    fixture.queue({ plumbing: true, clock }),
    fixture.queue({ plumbing: false, clock, target: new LocalBranchTarget(fixture.git, "integration-b") }),
  ];
  const results: MergeResult[][] = [[], []];
  /** Offers the tasks (t<first>, t<first + 1>, …, each commit's message its name) to both queues, and drains each. */
  const offerToBoth = async (first: number, commits: Record<string, string>) => {
    for (const [index, queue] of queues.entries()) {
      for (const [offset, [message, commit]] of Object.entries(commits).entries()) {
        queue.enqueue({ taskId: `t${String(first + offset).padStart(4, "0")}`, attempt: 1, commit, message });
      }
      results[index]?.push(...(await queue.drain()));
    }
  };
  const one = await fixture.branch("one", [{ "src/one.ts": "1\n" }]);
  const two = await fixture.branch("two", [{ "src/lib/two.ts": "2\n" }, { "docs/two.md": "two\n" }]);
  const clash = await fixture.branch("clash", [{ "src/shared.ts": "1\n2\nthree\n" }]);
  await offerToBoth(1, { one, two, clash });
  // A task started from the head after those landings, and more from the very first commit.
  const late = await fixture.branch(
    "late",
    [{ "src/late.ts": "late\n", "README.md": null }],
    await fixture.head(),
  );
  const again = await fixture.branch("again", [{ "src/shared.ts": "1\n2\nTHREE\n" }]);
  const old = await fixture.branch("old", [{ "test/old.ts": "old\n" }]);
  await offerToBoth(4, { late, again, old });
  return { withPlumbing: results[0] ?? [], without: results[1] ?? [], fixture };
}

describe("the queue's long-lived git", () => {
  it("lands exactly the commits one git process per question lands", async () => {
    const { withPlumbing, without, fixture } = await landBoth();
    expect(Object.fromEntries(withPlumbing.map((result) => [result.taskId, result.kind]))).toEqual({
      t0001: "landed",
      t0002: "landed",
      t0003: "landed",
      t0004: "landed",
      t0005: "conflict",
      t0006: "landed",
    });
    // Same commit ids: same trees, parents, messages, identities and dates.
    expect(withPlumbing).toEqual(without);
    expect(await fixture.head()).toBe(await fixture.repo.sha("integration-b"));
  });

  it("starts no git process for a landing once its gits are running", async () => {
    const fixture = await createQueueFixture();
    fixtures.push(fixture);
    const runner = new CountingRunner();
    const git = new Git(fixture.repo.path, { runner });
    const queue = fixture.queue({ git, target: new LocalBranchTarget(git, "integration") });
    // The first drain starts the gits (and learns where objects go) with a quick merge.
    const first = await fixture.branch("first", [{ "first.ts": "1\n" }]);
    const second = await fixture.branch("second", [{ "second.ts": "2\n" }]);
    await enqueueAndDrain(queue, [first, second]);
    const opening = runner.runs.length;
    for (const name of ["a", "b", "c", "d"]) {
      const commit = await fixture.branch(name, [{ [`src/${name}.ts`]: `${name}\n` }]);
      queue.enqueue({ taskId: `t-${name}`, attempt: 1, commit });
    }
    const results = await queue.drain();
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed", "landed", "landed"]);
    expect(runner.runs.slice(opening)).toEqual([]);
    expect(Object.keys(await fixture.files()).sort()).toEqual([
      "README.md",
      "first.ts",
      "second.ts",
      "src/a.ts",
      "src/b.ts",
      "src/c.ts",
      "src/d.ts",
    ]);
  });
});
