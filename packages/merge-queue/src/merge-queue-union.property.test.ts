import { seededRandom } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import { applyTo, randomCase, sequential } from "./__fixtures__/random-additions.js";

let fixture: QueueFixture | undefined;
afterEach(() => fixture?.repo.cleanup());

describe("the merge queue, for random sets of additions to one barrel", () => {
  // Real git: each seed is a repository where every task forks from the first commit and adds
  // exports at random places (same line, adjacent lines, distant lines, exports others add too).
  it("lands the file a sequential application gives: every export once, in landing order", async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { base, tasks } = randomCase(seededRandom(seed));
      fixture = await createQueueFixture({ "src/index.ts": applyTo(base, new Map()), "README.md": "# r\n" });
      const queue = fixture.queue();
      for (const [index, task] of tasks.entries()) {
        const commit = await fixture.branch(`t${index}`, [{ "src/index.ts": applyTo(base, task) }]);
        queue.enqueue({ taskId: `t${String(index).padStart(4, "0")}`, attempt: 1, commit });
      }
      const results = await queue.drain();
      expect(
        results.every((result) => result.kind === "landed" || result.kind === "no-op"),
        `seed ${seed}`,
      ).toBe(true);
      expect((await fixture.files())["src/index.ts"], `seed ${seed}`).toBe(sequential(base, tasks));
      await fixture.repo.cleanup();
      fixture = undefined;
    }
  });
});
