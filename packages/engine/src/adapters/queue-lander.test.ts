import type { NewEvent } from "@longshot/core";
import { Git } from "@longshot/git";
import { createBranches, createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { QueueLander } from "./queue-lander.js";

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const committer = { name: "longshot", email: "longshot@localhost" };
const line = (name: string) => `export { ${name} } from "./${name}.ts";\n`;

async function setUp() {
  repo = await createTempRepo({ files: { "src/index.ts": "// api\n" } });
  await repo.git(["branch", "longshot/r1/integration", repo.initial]);
  const git = new Git(repo.path);
  const events: NewEvent[] = [];
  const lander = new QueueLander({
    git,
    runId: "r1",
    integrationBranch: "longshot/r1/integration",
    strategy: "rebase",
    committer,
    emit: (event) => events.push(event),
  });
  const branch = async (name: string, files: Record<string, string>) =>
    (
      await createBranches(repo!.path, [{ name, from: repo!.initial, commits: [{ files, message: name }] }])
    ).get(name)!;
  const land = (taskId: string, commit: string) =>
    lander.land({
      taskId,
      attempt: 1,
      commit,
      title: taskId,
      priority: 50,
      signal: new AbortController().signal,
    });
  return { lander, events, branch, land };
}

describe("QueueLander", () => {
  it("passes the queue's auto-resolutions on to the event log, and lands the task", async () => {
    const { events, branch, land } = await setUp();
    const a = await branch("a", { "src/index.ts": `// api\n${line("a")}` });
    const both = await branch("both", { "src/index.ts": `// api\n${line("a")}${line("b")}` });
    expect(await land("t0001", a)).toMatchObject({ kind: "landed", noop: false });
    expect(await land("t0002", both)).toMatchObject({ kind: "landed", noop: false });
    expect(events).toEqual([
      {
        type: "merge-auto-resolved",
        taskId: "t0002",
        attempt: 1,
        rule: "union-of-additions",
        files: ["src/index.ts"],
        hunks: 1,
      },
    ]);
    expect(await repo!.git(["show", "longshot/r1/integration:src/index.ts"])).toBe(
      `// api\n${line("a")}${line("b")}`.trim(),
    );
  });

  it("reports a landing that changes nothing as a no-op at the unmoved head", async () => {
    const { branch, land } = await setUp();
    const a = await branch("a", { "src/index.ts": `// api\n${line("a")}` });
    const again = await branch("again", { "src/index.ts": `// api\n${line("a")}` });
    const first = await land("t0001", a);
    const head = await repo!.sha("longshot/r1/integration");
    expect(first).toMatchObject({ kind: "landed", sha: head, noop: false });
    expect(await land("t0002", again)).toEqual({
      kind: "landed",
      sha: head,
      previous: head,
      strategy: "rebase",
      noop: true,
    });
    expect(await repo!.sha("longshot/r1/integration")).toBe(head);
  });

  it("answers a conflict with what it conflicted with: the head, the task's tip and the marked tree", async () => {
    const { branch, land } = await setUp();
    const a = await branch("a", { "src/index.ts": "// api a\n" });
    const b = await branch("b", { "src/index.ts": "// api b\n" });
    await land("t0001", a);
    const head = await repo!.sha("longshot/r1/integration");
    const outcome = await land("t0002", b);
    if (outcome.kind !== "conflict" || outcome.conflict === undefined) throw new Error("expected a conflict");
    expect(outcome.conflict).toMatchObject({ files: ["src/index.ts"], head, tip: b });
    const marked = await repo!.git(["cat-file", "blob", `${outcome.conflict.tree}:src/index.ts`]);
    expect(marked).toContain("<<<<<<<");
    expect(marked).toContain("// api b");
  });
});
