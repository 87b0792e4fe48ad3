import { Git, type GitRunner, ProcessGitRunner } from "@longshot/git";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import { LocalBranchTarget } from "./local-branch-target.js";
import type { MergeResult } from "./types.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

/** A real git runner that runs `beforeFirstUpdateRef` just before its first `git update-ref`. */
function interleavingRunner(beforeFirstUpdateRef: () => Promise<unknown>): GitRunner {
  const real = new ProcessGitRunner();
  let fired = false;
  return {
    run: async (request) => {
      if (!fired && request.args[0] === "update-ref") {
        fired = true;
        await beforeFirstUpdateRef();
      }
      return real.run(request);
    },
  };
}

describe("compare-and-swap races", () => {
  it("lets one integrator win; the other recomputes on the new head and lands without losing a commit", async () => {
    fixture = await createQueueFixture({ "shared.txt": "1\n2\n3\n4\n5\n" });
    const mine = await fixture.branch("mine", [{ "shared.txt": "ONE\n2\n3\n4\n5\n", "mine.txt": "m\n" }]);
    const theirs = await fixture.branch("theirs", [
      { "shared.txt": "1\n2\n3\n4\nFIVE\n", "theirs.txt": "t\n" },
    ]);

    const other = fixture.queue();
    other.enqueue({ taskId: "t0002", attempt: 1, commit: theirs });
    let otherResults: MergeResult[] = [];
    // Integrator B lands its task after A has computed its candidate but before A moves the ref.
    const git = new Git(fixture.repo.path, {
      runner: interleavingRunner(async () => {
        otherResults = await other.drain();
      }),
    });
    const queue = fixture.queue({ git, target: new LocalBranchTarget(git, "integration") });
    const results = await enqueueAndDrain(queue, [mine]);

    expect(otherResults).toMatchObject([{ kind: "landed", taskId: "t0002", sha: theirs, casRetries: 0 }]);
    expect(results).toMatchObject([{ kind: "landed", taskId: "t0001", previous: theirs, casRetries: 1 }]);
    const head = await fixture.head();
    expect(await fixture.git.isAncestor(theirs, head)).toBe(true);
    expect((await fixture.git.showCommit(head))?.parents).toEqual([theirs]);
    expect(await fixture.files()).toEqual({
      "shared.txt": "ONE\n2\n3\n4\nFIVE\n",
      "mine.txt": "m\n",
      "theirs.txt": "t\n",
    });
  });

  it("lands everything when two integrators drain at the same time", async () => {
    fixture = await createQueueFixture();
    const first = fixture.queue();
    const second = fixture.queue();
    for (let index = 0; index < 10; index++) {
      const a = await fixture.branch(`a${index}`, [{ [`a/${index}.txt`]: `${index}\n` }]);
      const b = await fixture.branch(`b${index}`, [{ [`b/${index}.txt`]: `${index}\n` }]);
      first.enqueue({ taskId: `a${index}`, attempt: 1, commit: a });
      second.enqueue({ taskId: `b${index}`, attempt: 1, commit: b });
    }
    const [firstResults, secondResults] = await Promise.all([first.drain(), second.drain()]);
    const all = [...firstResults, ...secondResults];
    expect(all.filter((result) => result.kind === "landed")).toHaveLength(20);
    const head = await fixture.head();
    for (const result of all) {
      if (result.kind === "landed") expect(await fixture.git.isAncestor(result.sha, head)).toBe(true);
    }
    expect(Object.keys(await fixture.files())).toHaveLength(21);
    expect(await fixture.git.log(fixture.repo.initial, head)).toHaveLength(20);
  });
});
