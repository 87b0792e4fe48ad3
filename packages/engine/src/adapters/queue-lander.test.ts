import type { TempRepo } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { integrationBranch, integrationRepo, landerOn } from "../__fixtures__/lander-repo.js";

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const line = (name: string) => `export { ${name} } from "./${name}.ts";\n`;

async function setUp() {
  repo = await integrationRepo({ "src/index.ts": "// api\n" });
  return landerOn(repo);
}

describe("QueueLander", () => {
  it("passes the queue's auto-resolutions on to the event log, and lands the task", async () => {
    const { events, branch, land, show } = await setUp();
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
    expect(await show("src/index.ts")).toBe(`// api\n${line("a")}${line("b")}`.trim());
  });

  it("reports a landing that changes nothing as a no-op at the unmoved head", async () => {
    const { branch, land } = await setUp();
    const a = await branch("a", { "src/index.ts": `// api\n${line("a")}` });
    const again = await branch("again", { "src/index.ts": `// api\n${line("a")}` });
    const first = await land("t0001", a);
    const head = await repo!.sha(integrationBranch);
    expect(first).toMatchObject({ kind: "landed", sha: head, noop: false });
    expect(await land("t0002", again)).toEqual({
      kind: "landed",
      sha: head,
      previous: head,
      strategy: "rebase",
      noop: true,
    });
    expect(await repo!.sha(integrationBranch)).toBe(head);
  });

  it("answers a conflict with what it conflicted with: the head, the task's tip and the marked tree", async () => {
    const { branch, land } = await setUp();
    const a = await branch("a", { "src/index.ts": "// api a\n" });
    const b = await branch("b", { "src/index.ts": "// api b\n" });
    await land("t0001", a);
    const head = await repo!.sha(integrationBranch);
    const outcome = await land("t0002", b);
    if (outcome.kind !== "conflict" || outcome.conflict === undefined) throw new Error("expected a conflict");
    expect(outcome.conflict).toMatchObject({ files: ["src/index.ts"], head, tip: b });
    const marked = await repo!.git(["cat-file", "blob", `${outcome.conflict.tree}:src/index.ts`]);
    expect(marked).toContain("<<<<<<<");
    expect(marked).toContain("// api b");
  });
});
