import { afterEach, describe, expect, it } from "vitest";
import { createQueueFixture, enqueueAndDrain, type QueueFixture } from "./__fixtures__/queue-fixture.js";
import type { LockfileRegeneration, LockfileRequest } from "./types.js";

let fixture: QueueFixture;
afterEach(() => fixture.repo.cleanup());

const manifest = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const base = { name: "app", scripts: { build: "tsc" }, dependencies: { react: "^19.0.0" } };
const lock = (deps: readonly string[]) =>
  `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n${deps.map((dep) => `      ${dep}: 1.0.0\n`).join("")}`;

async function twoTasks(ours: Record<string, string>, theirs: Record<string, string>) {
  const first = await fixture.branch("t1", [ours]);
  const second = await fixture.branch("t2", [theirs]);
  return { first, second };
}

describe("package.json merged by key", () => {
  it("lands two tasks that each added a dependency and a script", async () => {
    fixture = await createQueueFixture({ "package.json": manifest(base) });
    const { first, second } = await twoTasks(
      {
        "package.json": manifest({
          ...base,
          scripts: { ...base.scripts, test: "vitest" },
          dependencies: { ...base.dependencies, zod: "4.0.0" },
        }),
      },
      {
        "package.json": manifest({
          ...base,
          scripts: { ...base.scripts, lint: "biome" },
          dependencies: { ink: "6.0.0", ...base.dependencies },
        }),
      },
    );
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [first, second]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed"]);
    expect((await fixture.files())["package.json"]).toBe(
      manifest({
        name: "app",
        scripts: { build: "tsc", test: "vitest", lint: "biome" },
        dependencies: { ink: "6.0.0", react: "^19.0.0", zod: "4.0.0" },
      }),
    );
    expect(fixture.events.filter((event) => event.type === "merge-auto-resolved")).toEqual([
      {
        type: "merge-auto-resolved",
        taskId: "t0002",
        attempt: 1,
        rule: "json-manifest",
        files: ["package.json"],
        hunks: 2,
      },
    ]);
  });

  it("sends the task back when both gave the same dependency different versions", async () => {
    fixture = await createQueueFixture({ "package.json": manifest(base) });
    const { first, second } = await twoTasks(
      { "package.json": manifest({ ...base, dependencies: { react: "^19.1.0" } }) },
      { "package.json": manifest({ ...base, dependencies: { react: "^19.2.0" } }) },
    );
    const queue = fixture.queue();
    const results = await enqueueAndDrain(queue, [first, second]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "conflict"]);
    expect(results[1]).toMatchObject({ files: ["package.json"], detail: null });
  });
});

describe("lockfiles regenerated, never merged as text", () => {
  /** Both add a dependency after react: the lockfiles conflict as text. */
  async function lockfileConflict() {
    fixture = await createQueueFixture({ "package.json": manifest(base), "pnpm-lock.yaml": lock(["react"]) });
    return twoTasks(
      {
        "package.json": manifest({ ...base, dependencies: { ...base.dependencies, zod: "4.0.0" } }),
        "pnpm-lock.yaml": lock(["react", "zod"]),
      },
      {
        "package.json": manifest({ ...base, dependencies: { ...base.dependencies, ink: "6.0.0" } }),
        "pnpm-lock.yaml": lock(["react", "ink"]),
      },
    );
  }

  it("regenerates a lockfile both changed even when git merged it as text without a conflict", async () => {
    fixture = await createQueueFixture({ "package.json": manifest(base), "pnpm-lock.yaml": lock(["react"]) });
    const { first, second } = await twoTasks(
      {
        "package.json": manifest({ ...base, scripts: { build: "tsc -b" } }),
        "pnpm-lock.yaml": lock(["react", "zod"]),
      },
      { "pnpm-lock.yaml": lock(["ink", "react"]) },
    );
    const asked: (string | null)[] = [];
    const queue = fixture.queue({
      regenerateLockfiles: async (request) => {
        asked.push(await fixture.git.readFile(request.commit, "pnpm-lock.yaml"));
        return {
          kind: "regenerated",
          files: { "pnpm-lock.yaml": `${lock(["ink", "react", "zod"])}# regenerated\n` },
        };
      },
    });
    expect((await enqueueAndDrain(queue, [first, second])).map((result) => result.kind)).toEqual([
      "landed",
      "landed",
    ]);
    expect(asked).toEqual([lock(["ink", "react", "zod"])]);
    expect((await fixture.files())["pnpm-lock.yaml"]).toBe(`${lock(["ink", "react", "zod"])}# regenerated\n`);

    const failing = fixture.queue({
      regenerateLockfiles: async () => ({ kind: "failed", reason: "offline" }),
    });
    const third = await fixture.branch("t3", [{ "pnpm-lock.yaml": lock(["react", "vitest"]) }]);
    failing.enqueue({ taskId: "t0003", attempt: 1, commit: third });
    expect(await failing.drain()).toMatchObject([
      {
        kind: "conflict",
        files: ["pnpm-lock.yaml"],
        detail: "pnpm-lock.yaml could not be regenerated: offline",
      },
    ]);
  });

  it("asks the regenerator for a lockfile of the merged manifests and lands what it returns", async () => {
    const { first, second } = await lockfileConflict();
    const requests: { request: LockfileRequest; manifest: string | null; lockfile: string | null }[] = [];
    const queue = fixture.queue({
      regenerateLockfiles: async (request) => {
        requests.push({
          request,
          manifest: await fixture.git.readFile(request.commit, "package.json"),
          lockfile: await fixture.git.readFile(request.commit, "pnpm-lock.yaml"),
        });
        return { kind: "regenerated", files: { "pnpm-lock.yaml": lock(["ink", "react", "zod"]) } };
      },
    });
    const results = await enqueueAndDrain(queue, [first, second]);
    expect(results.map((result) => result.kind)).toEqual(["landed", "landed"]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.request).toMatchObject({
      taskId: "t0002",
      attempt: 1,
      lockfiles: ["pnpm-lock.yaml"],
    });
    expect(JSON.parse(requests[0]?.manifest ?? "{}").dependencies).toEqual({
      ink: "6.0.0",
      react: "^19.0.0",
      zod: "4.0.0",
    });
    expect(requests[0]?.lockfile).toMatch(/^<{7} /m);
    const files = await fixture.files();
    expect(files["pnpm-lock.yaml"]).toBe(lock(["ink", "react", "zod"]));
    expect(
      fixture.events.filter((event) => event.type === "merge-auto-resolved").map((event) => event.rule),
    ).toEqual(["json-manifest", "lockfile-regenerated"]);
  });

  it("sends the conflict back to the task, saying why, when regeneration fails", async () => {
    const { first, second } = await lockfileConflict();
    const failed: LockfileRegeneration = {
      kind: "failed",
      reason: "pnpm exited 1: ERR_PNPM_NO_OFFLINE_META zod",
    };
    const queue = fixture.queue({ regenerateLockfiles: async () => failed });
    queue.enqueue({ taskId: "t0001", attempt: 1, commit: first });
    queue.enqueue({ taskId: "t0002", attempt: 1, commit: second });
    const head = await (async () => {
      const results = await queue.drain();
      expect(results.map((result) => result.kind)).toEqual(["landed", "conflict"]);
      expect(results[1]).toMatchObject({
        files: ["package.json", "pnpm-lock.yaml"],
        detail: "pnpm-lock.yaml could not be regenerated: pnpm exited 1: ERR_PNPM_NO_OFFLINE_META zod",
      });
      return fixture.head();
    })();
    expect(head).toBe(first);
    expect(fixture.events.find((event) => event.type === "log")).toMatchObject({
      level: "warn",
      taskId: "t0002",
      message: expect.stringContaining("could not be regenerated"),
    });
  });

  it("sends the conflict back when no regenerator is set or it returns a lockfile with conflict markers", async () => {
    const { first, second } = await lockfileConflict();
    const queue = fixture.queue();
    expect((await enqueueAndDrain(queue, [first, second])).map((result) => result.kind)).toEqual([
      "landed",
      "conflict",
    ]);

    const marked = fixture.queue({
      regenerateLockfiles: async () => ({
        kind: "regenerated",
        files: { "pnpm-lock.yaml": "<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n" },
      }),
    });
    marked.enqueue({ taskId: "t0002", attempt: 2, commit: second });
    const [result] = await marked.drain();
    expect(result).toMatchObject({ kind: "conflict", detail: expect.stringContaining("no clean lockfile") });
    expect(await fixture.head()).toBe(first);
  });
});
