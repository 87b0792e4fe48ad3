import type { Task } from "@longshot/core";
import type { CommitInfo } from "@longshot/git";
import { type HunkConflict, parseConflictedFile } from "@longshot/merge-queue";
import { resolutionAnswer } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { answerSchema, conflictMessages, loadConflictPrompt } from "./conflict-prompt.js";
import type { ConflictToResolve } from "./ports.js";

const signal = new AbortController().signal;
const registry = (names: string) => `export const registry: readonly string[] = [${names}];`;

function commit(sha: string, message: string): CommitInfo {
  const person = { name: "longshot", email: "longshot@localhost" };
  return {
    sha,
    tree: "t",
    parents: [],
    author: person,
    authorDate: "",
    committer: person,
    subject: message.split("\n")[0] ?? "",
    message,
  };
}

const marked = [
  "// Public API of sample-utils: one export line per module.",
  "<<<<<<< 1111111",
  registry('"sum"'),
  'export { sum } from "./sum.ts";',
  "=======",
  registry('"clamp"'),
  'export { clamp } from "./clamp.ts";',
  ">>>>>>> 2222222",
  "",
].join("\n");

const described: HunkConflict = {
  conflict: { files: ["src/index.ts", "notes.md"], tree: "t", head: "h".repeat(40), tip: "p".repeat(40) },
  base: "b".repeat(40),
  hunked: [parseConflictedFile("src/index.ts", marked)!],
  settled: new Map([["notes.md", { content: "- a\n- b\n", rule: "union-of-additions" as const }]]),
  unanswerable: [],
  integrationCommits: [
    commit("a".repeat(40), "Implement sum\n\nLongshot-Run: r1\nLongshot-Task: t0003"),
    commit("c".repeat(40), "A commit of the user's"),
  ],
  integrationDiff: `+${registry('"sum"')}`,
  taskDiff: `+${registry('"clamp"')}`,
};

const request: ConflictToResolve = {
  runId: "r1",
  task: { id: "t0007", title: "Implement clamp" } as Task,
  attempt: 1,
  handoff: {
    status: "complete",
    summary: "Added clamp with tests.",
    filesChanged: [],
    concerns: [],
    suggestions: [],
  },
  conflict: described.conflict,
  intentOf: (taskId) => (taskId === "t0003" ? { title: "Implement sum", summary: "Added sum." } : null),
  signal,
};

describe("the resolution step's prompt", () => {
  it("ships as a versioned prompt and shows only the hunks, both sides' intents and diffs", async () => {
    const template = await loadConflictPrompt(signal);
    expect(template.version).toBe("resolve-conflict@1");
    const [system, user] = conflictMessages(template, request, described, 24);
    expect(system?.content).toContain("at most 24");
    const text = user?.content ?? "";
    expect(text).toContain("t0007 Implement clamp: Added clamp with tests.");
    expect(text).toContain("- t0003 Implement sum: Added sum.");
    expect(text).toContain("- cccccccccc A commit of the user's");
    expect(text).toContain("- notes.md (union-of-additions)");
    expect(text).toContain("### Hunk src/index.ts#1");
    expect(text).toContain('+export const registry: readonly string[] = ["clamp"];');
    // The lines around the conflict are shown as context, not as something to answer.
    expect(text).toContain("Lines before it (unchanged, not part of the answer):\n````\n// Public API");
  });

  it("is read by the scripted model, whose careful answer passes the schema and careless one is still well-formed", async () => {
    const [, user] = conflictMessages(await loadConflictPrompt(signal), request, described, 24);
    const careful = resolutionAnswer(user?.content ?? "", false);
    expect(careful.hunks).toEqual([
      {
        id: "src/index.ts#1",
        resolution: `${registry('"sum", "clamp"')}\nexport { sum } from "./sum.ts";\nexport { clamp } from "./clamp.ts";\n`,
      },
    ]);
    expect(answerSchema(described).safeParse(careful).success).toBe(true);
    // Keeping both sides as they are is well-formed (only the checks can tell it is wrong).
    expect(answerSchema(described).safeParse(resolutionAnswer(user?.content ?? "", true)).success).toBe(true);
  });

  it("sends an answer that misses a hunk or keeps markers to the repair round", () => {
    const schema = answerSchema(described);
    const missing = schema.safeParse({ hunks: [], cannotResolve: null });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((issue) => issue.message)).toEqual(["src/index.ts#1 has no answer."]);
    const markers = schema.safeParse({
      hunks: [{ id: "src/index.ts#1", resolution: "<<<<<<< HEAD\nx\n" }],
      cannotResolve: null,
    });
    expect(markers.error?.issues.map((issue) => issue.message)).toEqual([
      "src/index.ts#1 still holds conflict markers.",
    ]);
    expect(
      schema.safeParse({ hunks: [], cannotResolve: "both change the default in incompatible ways" }).success,
    ).toBe(true);
  });
});
