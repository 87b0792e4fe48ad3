import { type Task, TaskSchema } from "@longshot/core";
import { Git } from "@longshot/git";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handoffGuard } from "./handoff-guard.js";

let repo: TempRepo;
const signal = new AbortController().signal;

function task(scope: string[]): Task {
  return TaskSchema.parse({
    id: "t0001",
    runId: "r1",
    kind: "plan",
    branch: "longshot/r1/t0001",
    parentId: null,
    state: "review",
    attempts: 1,
    fingerprint: null,
    createdAt: 0,
    title: "Add the parser",
    description: "Add src/parser.ts",
    scope,
  });
}

beforeEach(async () => {
  repo = await createTempRepo({ files: { "src/index.ts": "export {};\n", "README.md": "# r\n" } });
});
afterEach(() => repo.cleanup());

describe("handoffGuard", () => {
  it("rejects a file over the file limit and content over the diff limit, naming them", async () => {
    const commit = await repo.commit(
      { "src/parser.ts": "x".repeat(3000), "assets/blob.bin": "y".repeat(5000) },
      "big files",
    );
    const guard = handoffGuard(new Git(repo.path), { maxFileBytes: 4096, maxDiffBytes: 6000 });
    const findings = await guard.check(task(["src/parser.ts", "assets/**"]), repo.initial, commit, signal);
    expect(findings.rejections).toEqual([
      "Files larger than the 4 KiB limit (TASK_MAX_FILE_KB) cannot be handed off: assets/blob.bin (5 KiB).",
      "The work adds or changes 8 KiB of content, more than the 6 KiB limit (TASK_MAX_DIFF_KB).",
    ]);
    expect(findings.concerns).toEqual([]);
  });

  it("passes work within the limits, and reports files outside the declared scope as concerns", async () => {
    const commit = await repo.commit(
      {
        "src/parser.ts": "export const parse = () => 1;\n",
        "README.md": null,
        ".github/workflows/x.yml": "on: push\n",
      },
      "parser and more",
    );
    const guard = handoffGuard(new Git(repo.path), { maxFileBytes: 4096, maxDiffBytes: 8192 });
    const findings = await guard.check(task(["src/parser.ts"]), repo.initial, commit, signal);
    expect(findings.rejections).toEqual([]);
    expect(findings.concerns).toEqual([
      "The commit changes files outside the task's declared scope (src/parser.ts): .github/workflows/x.yml, README.md.",
    ]);
  });
});
