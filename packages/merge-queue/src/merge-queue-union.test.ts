import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, type QueueFixture } from "./__fixtures__/queue-fixture.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

const barrel = "// exports\n";

describe("conflicts of pure additions", () => {
  it("lands every task that only added lines to a shared file, keeping all of them", async () => {
    fixture = await createQueueFixture({ "index.ts": barrel, "README.md": "# r\n" });
    const tips = [];
    for (const name of ["a", "b", "c"]) {
      tips.push(
        await fixture.branch(`t-${name}`, [
          { "index.ts": `${barrel}export { ${name} } from "./${name}";\n`, [`${name}.ts`]: `${name}\n` },
        ]),
      );
    }
    const queue = fixture.queue();
    for (const [index, commit] of tips.entries())
      queue.enqueue({ taskId: `t000${index + 1}`, attempt: 1, commit });
    const results = await queue.drain();
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed", "landed"]);
    const files = await fixture.files();
    expect(files["index.ts"]).toBe(
      `${barrel}export { a } from "./a";\nexport { b } from "./b";\nexport { c } from "./c";\n`,
    );
    expect(files["c.ts"]).toBe("c\n");
  });

  it("still reports a conflict when a side changed or removed an existing line", async () => {
    fixture = await createQueueFixture({ "index.ts": `${barrel}export { x } from "./x";\n` });
    const first = await fixture.branch("t1", [
      { "index.ts": `${barrel}export { x } from "./x";\nexport { a } from "./a";\n` },
    ]);
    const second = await fixture.branch("t2", [{ "index.ts": `${barrel}export { y } from "./y";\n` }]);
    const queue = fixture.queue();
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: first });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: second });
    const results = await queue.drain();
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "conflict"],
    ]);
  });

  it("can be turned off", async () => {
    fixture = await createQueueFixture({ "index.ts": barrel });
    const a = await fixture.branch("t-a", [{ "index.ts": `${barrel}a\n` }]);
    const b = await fixture.branch("t-b", [{ "index.ts": `${barrel}b\n` }]);
    const queue = fixture.queue({ unionAdditions: false });
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: a });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: b });
    const results = await queue.drain();
    expect(results.map((result) => result.kind)).toEqual(["landed", "conflict"]);
  });
});
