import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "@longshot/git";
import { createBranches, runGit } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import type { IntegrationTarget } from "./integration-target.js";
import { RemoteBranchTarget } from "./remote-branch-target.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

async function remoteFixture(): Promise<{ remote: string; target: RemoteBranchTarget }> {
  fixture = await createQueueFixture();
  const remote = await fixture.repo.cloneBare();
  return { remote, target: new RemoteBranchTarget(fixture.git, { remote, branch: "integration" }) };
}

describe("remote targets", () => {
  it("lands by pushing with a lease and reports each push", async () => {
    const { remote, target } = await remoteFixture();
    const queue = fixture.queue({ target });
    const tip = await fixture.branch("t1", [{ "one.txt": "1\n" }]);
    expect(await enqueueAndDrain(queue, [tip])).toMatchObject([{ kind: "landed", sha: tip }]);
    expect(await runGit(remote, ["rev-parse", "integration"])).toBe(tip);
    expect(await fixture.git.revParse("refs/longshot/remote/integration")).toBe(tip);
    expect(fixture.events.filter((event) => event.type === "merge-push")).toEqual([
      { type: "merge-push", ref: "refs/heads/integration", sha: tip, ok: true, error: null },
    ]);
  });

  it("recomputes on the remote's new head when someone else pushed first", async () => {
    const { remote, target } = await remoteFixture();
    // Another writer lands directly on the remote.
    const elsewhere = await createBranches(remote, [
      {
        name: "integration-next",
        from: fixture.repo.initial,
        commits: [{ files: { "theirs.txt": "t\n" }, message: "theirs" }],
      },
    ]);
    const theirs = elsewhere.get("integration-next") ?? "";
    // The other writer moves the remote branch right after the queue has read its head.
    let moved = false;
    const racing: IntegrationTarget = {
      ref: target.ref,
      remote: true,
      head: async (signal) => {
        const head = await target.head(signal);
        if (!moved) {
          moved = true;
          await runGit(remote, ["update-ref", "refs/heads/integration", theirs, fixture.repo.initial]);
        }
        return head;
      },
      compareAndSwap: (next, expected, signal) => target.compareAndSwap(next, expected, signal),
    };
    const queue = fixture.queue({ target: racing });
    const tip = await fixture.branch("t1", [{ "mine.txt": "m\n" }]);
    const results = await enqueueAndDrain(queue, [tip]);
    expect(results).toMatchObject([{ kind: "landed", previous: theirs, casRetries: 1 }]);
    const remoteHead = await runGit(remote, ["rev-parse", "integration"]);
    expect(await new Git(remote).isAncestor(theirs, remoteHead)).toBe(true);
    expect(await new Git(remote).listFiles(remoteHead)).toEqual(["README.md", "mine.txt", "theirs.txt"]);
    expect(
      fixture.events
        .filter((event) => event.type === "merge-push")
        .map((event) => event.type === "merge-push" && event.ok),
    ).toEqual([false, true]);
  });

  it("retries a push the remote rejects, reports it, and never counts it as landed", async () => {
    const { remote, target } = await remoteFixture();
    const hook = join(remote, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'maintenance window' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const queue = fixture.queue({ target, maxPushAttempts: 3, pushRetryDelayMs: 1 });
    const tip = await fixture.branch("t1", [{ "one.txt": "1\n" }]);
    const dependent = await fixture.branch("t2", [{ "two.txt": "2\n" }]);
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: tip });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: dependent, dependsOn: ["t0001"] });
    const results = await queue.drain();
    // Both tasks were one candidate chain: neither landed, each is reported.
    expect(results).toMatchObject([
      { kind: "push-failed", taskId: "t0001", error: expect.stringMatching(/hook declined/) },
      { kind: "push-failed", taskId: "t0002", error: expect.stringMatching(/hook declined/) },
    ]);
    expect(queue.hasLanded("t0001")).toBe(false);
    expect(queue.hasLanded("t0002")).toBe(false);
    const pushes = fixture.events.filter((event) => event.type === "merge-push");
    expect(pushes).toHaveLength(3);
    expect(pushes.every((event) => event.type === "merge-push" && !event.ok)).toBe(true);
    expect(fixture.events.some((event) => event.type === "merge-land")).toBe(false);
    expect(await runGit(remote, ["rev-parse", "integration"])).toBe(fixture.repo.initial);
  });
});
