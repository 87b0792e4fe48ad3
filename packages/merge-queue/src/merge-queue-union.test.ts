import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

const barrel = "// exports\n";
const line = (name: string) => `export { ${name} } from "./${name}.ts";\n`;

function resolvedEvents(events: QueueFixture["events"]) {
  return events.filter((event) => event.type === "merge-auto-resolved");
}

/** The event of a landing whose one conflicted hunk in `file` held only additions, kept side by side. */
const unionOfAdditions = (taskId: string, file: string) => ({
  type: "merge-auto-resolved",
  taskId,
  attempt: 1,
  rule: "union-of-additions",
  files: [file],
  hunks: 1,
});

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
    const results = await enqueueAndDrain(fixture.queue(), tips);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed", "landed"]);
    const files = await fixture.files();
    expect(files["index.ts"]).toBe(
      `${barrel}export { a } from "./a";\nexport { b } from "./b";\nexport { c } from "./c";\n`,
    );
    expect(files["c.ts"]).toBe("c\n");
    expect(resolvedEvents(fixture.events)).toEqual([
      unionOfAdditions("t0002", "index.ts"),
      unionOfAdditions("t0003", "index.ts"),
    ]);
    expect(results[1]).toMatchObject({
      resolved: [{ file: "index.ts", rule: "union-of-additions", hunks: 1 }],
    });
  });

  it("still reports a conflict when a side changed or removed an existing line", async () => {
    fixture = await createQueueFixture({ "index.ts": `${barrel}export { x } from "./x";\n` });
    const first = await fixture.branch("t1", [
      { "index.ts": `${barrel}export { x } from "./x";\nexport { a } from "./a";\n` },
    ]);
    const second = await fixture.branch("t2", [{ "index.ts": `${barrel}export { y } from "./y";\n` }]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [first, second]);
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "conflict"],
    ]);
    expect(resolvedEvents(fixture.events)).toEqual([]);
  });

  it("can be turned off", async () => {
    fixture = await createQueueFixture({ "index.ts": barrel });
    const a = await fixture.branch("t-a", [{ "index.ts": `${barrel}a\n` }]);
    const b = await fixture.branch("t-b", [{ "index.ts": `${barrel}b\n` }]);
    const queue = fixture.queue({ unionAdditions: false });
    const results = await enqueueAndDrain(queue, [a, b]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "conflict"]);
  });
});

describe("a barrel task and module tasks adding exports to one src/index.ts", () => {
  it("never lands an export twice when the barrel lands first (same line)", async () => {
    fixture = await createQueueFixture({ "README.md": "# r\n" });
    const barrelTask = await fixture.branch("barrel", [{ "src/index.ts": `${line("a")}${line("b")}` }]);
    const a = await fixture.branch("a", [{ "src/index.ts": line("a"), "src/a.ts": "a\n" }]);
    const b = await fixture.branch("b", [{ "src/index.ts": line("b"), "src/b.ts": "b\n" }]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [barrelTask, a, b]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed", "landed"]);
    const files = await fixture.files();
    expect(files["src/index.ts"]).toBe(`${line("a")}${line("b")}`);
    expect(files["src/b.ts"]).toBe("b\n");
    expect(resolvedEvents(fixture.events).map((event) => event.taskId)).toEqual(["t0002", "t0003"]);
  });

  it("never lands an export twice when the barrel lands last, and says when it added nothing", async () => {
    fixture = await createQueueFixture({ "src/index.ts": barrel });
    const a = await fixture.branch("a", [{ "src/index.ts": `${barrel}${line("a")}`, "src/a.ts": "a\n" }]);
    const b = await fixture.branch("b", [{ "src/index.ts": `${barrel}${line("b")}`, "src/b.ts": "b\n" }]);
    const full = await fixture.branch("barrel", [{ "src/index.ts": `${barrel}${line("a")}${line("b")}` }]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [a, b, full]);
    expect(results.map((result) => [result.taskId, result.kind])).toEqual([
      ["t0001", "landed"],
      ["t0002", "landed"],
      ["t0003", "no-op"],
    ]);
    expect((await fixture.files())["src/index.ts"]).toBe(`${barrel}${line("a")}${line("b")}`);
    const lands = fixture.events.filter((event) => event.type === "merge-land");
    expect(lands.map((event) => [event.taskId, event.noop])).toEqual([
      ["t0001", false],
      ["t0002", false],
      ["t0003", true],
    ]);
  });

  it("never lands an export twice when the tasks add it on adjacent lines", async () => {
    const header = "// api\n// more\n";
    fixture = await createQueueFixture({ "src/index.ts": header });
    const first = await fixture.branch("first", [{ "src/index.ts": `// api\n${line("a")}// more\n` }]);
    const second = await fixture.branch("second", [
      { "src/index.ts": `${header}${line("a")}${line("b")}`, "src/b.ts": "b\n" },
    ]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [first, second]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed"]);
    expect((await fixture.files())["src/index.ts"]).toBe(`// api\n${line("a")}// more\n${line("b")}`);
  });

  it("drops the copy git's clean merge would keep when one export is added at two distant places", async () => {
    const header = "// api\n// one\n// two\n// three\n";
    fixture = await createQueueFixture({ "src/index.ts": header });
    const sorted = await fixture.branch("sorted", [
      { "src/index.ts": `// api\n${line("a")}// one\n// two\n// three\n` },
    ]);
    const appended = await fixture.branch("appended", [
      { "src/index.ts": `${header}${line("a")}`, "src/a.ts": "a\n" },
    ]);
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [sorted, appended]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed"]);
    const files = await fixture.files();
    expect(files["src/index.ts"]).toBe(`// api\n${line("a")}// one\n// two\n// three\n`);
    expect(files["src/a.ts"]).toBe("a\n");
    expect(resolvedEvents(fixture.events)).toEqual([unionOfAdditions("t0002", "src/index.ts")]);
  });

  it("leaves alone a line two tasks added to two different function bodies", async () => {
    const base = "function f() {\n  a();\n}\n\nfunction g() {\n  b();\n}\n";
    fixture = await createQueueFixture({ "src/count.ts": base });
    const inF = await fixture.branch("f", [
      { "src/count.ts": base.replace("  a();\n", "  a();\n  count += 1;\n") },
    ]);
    const inG = await fixture.branch("g", [
      { "src/count.ts": base.replace("  b();\n", "  b();\n  count += 1;\n") },
    ]);
    const queue = fixture.queue();
    expect((await enqueueAndDrain(queue, [inF, inG])).map((result) => result.kind)).toEqual([
      "landed",
      "landed",
    ]);
    expect((await fixture.files())["src/count.ts"]).toBe(
      "function f() {\n  a();\n  count += 1;\n}\n\nfunction g() {\n  b();\n  count += 1;\n}\n",
    );
    expect(resolvedEvents(fixture.events)).toEqual([]);
  });

  it("lands three tasks adding to one barrel with every export once, in landing order", async () => {
    fixture = await createQueueFixture({ "src/index.ts": barrel });
    const tips = [
      await fixture.branch("x", [{ "src/index.ts": `${barrel}${line("x")}${line("shared")}` }]),
      await fixture.branch("y", [{ "src/index.ts": `${barrel}${line("shared")}${line("y")}` }]),
      await fixture.branch("z", [{ "src/index.ts": `${barrel}${line("z")}${line("x")}` }]),
    ];
    const results = await enqueueAndDrain(fixture.queue(), tips);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed", "landed"]);
    expect((await fixture.files())["src/index.ts"]).toBe(
      `${barrel}${line("x")}${line("shared")}${line("y")}${line("z")}`,
    );
  });
});
