import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { UserError } from "@longshot/core";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pipedInterview } from "./__fixtures__/piped-interview.js";
import { runSpecInterview, type SpecInterviewOptions } from "./run-spec-interview.js";

let repo: TempRepo;

beforeEach(async () => {
  repo = await createTempRepo({
    files: {
      "README.md":
        "# Tally\n\nWriters lose track of progress across many Markdown drafts.\n\n## Features\n\n- Count words per file\n- Totals per folder\n",
      "package.json": JSON.stringify({
        name: "tally",
        engines: { node: ">=24" },
        scripts: { test: "vitest run", build: "tsc -b" },
        devDependencies: { typescript: "5.9.3" },
      }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    },
  });
});

afterEach(async () => {
  await repo.cleanup();
});

/** Pipes `lines` in (ending the input after them) and collects what the interview printed. */
function interview(lines: readonly string[], options: Partial<SpecInterviewOptions> = {}) {
  return pipedInterview(lines, { repoDir: repo.path, signal: new AbortController().signal, ...options });
}

const fullAnswers = [
  "1", // name: the README title
  "1", // problem: the README's first paragraph
  "Novelists who keep drafts in Markdown and live in the terminal",
  "1,2", // features: both README features
  "- Watch mode that recounts on save",
  "",
  "1", // constraints: TypeScript, Node 24, pnpm
  "Must not read files outside the given folder",
  "",
  "1", // acceptance: `pnpm test` passes
  "[ ] `tally drafts/` prints one line per file and a total",
  "",
];

describe("runSpecInterview", () => {
  it("writes SPEC.md from suggestions picked by number and answers in free text", async () => {
    const { result, printed, spec } = await interview(fullAnswers);
    expect(result).toEqual({ path: join(repo.path, "SPEC.md"), written: true, outcome: "written" });
    expect(spec).toBe(
      [
        "# Tally",
        "",
        "## Problem",
        "",
        "Writers lose track of progress across many Markdown drafts.",
        "",
        "## Users",
        "",
        "Novelists who keep drafts in Markdown and live in the terminal",
        "",
        "## Core features",
        "",
        "1. Count words per file",
        "2. Totals per folder",
        "3. Watch mode that recounts on save",
        "",
        "## Constraints",
        "",
        "- TypeScript, Node 24, pnpm",
        "- Must not read files outside the given folder",
        "",
        "## Acceptance",
        "",
        "- [ ] `pnpm test` passes",
        "- [ ] `tally drafts/` prints one line per file and a total",
        "",
      ].join("\n"),
    );
    expect(printed).toContain("6/6 Acceptance");
    expect(printed).toContain("  1. `pnpm test` passes\n  2. `pnpm build` succeeds");
    expect(printed).toContain("3 core features, 2 constraints, 2 acceptance checks");
  });

  it("asks again after an empty answer and insists on at least one list item", async () => {
    const { result, printed, spec } = await interview([
      "",
      "Tally",
      "Drafts are hard to measure",
      "Writers",
      "",
      "Count words",
      "",
      "",
      "1",
      "",
      "2",
      "",
    ]);
    expect(result.written).toBe(true);
    expect(printed).toContain("Please answer, or type a number to pick a suggestion.");
    expect(printed).toContain("Give at least one, then an empty line to finish.");
    expect(spec).toContain("# Tally\n");
    expect(spec).toContain("## Core features\n\n1. Count words\n\n");
    expect(spec).toContain("## Acceptance\n\n- [ ] `pnpm build` succeeds\n");
  });

  it("writes nothing and says so when the input ends mid-interview", async () => {
    const { result, printed, spec } = await interview(["1", "1", "Writers", "1", ""]);
    expect(result).toMatchObject({ written: false, outcome: "end-of-input" });
    expect(spec).toBeNull();
    expect(printed).toContain("Input ended before the interview was done; nothing was written.");
  });

  it("writes nothing when the signal aborts while it waits for an answer", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const controller = new AbortController();
    let printed = "";
    output.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
      if (printed.includes("2/6 Problem")) controller.abort();
    });
    input.write("Tally\n");
    const result = await runSpecInterview({
      input,
      output,
      repoDir: repo.path,
      isTty: false,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ written: false, outcome: "cancelled" });
    expect(printed).toContain("Interview stopped; nothing was written.");
    await expect(readFile(join(repo.path, "SPEC.md"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  describe("with an existing SPEC.md", () => {
    const existing = "# Hand-written spec\n";
    beforeEach(async () => {
      await writeFile(join(repo.path, "SPEC.md"), existing);
    });

    it("keeps it when the answer to replacing is the default (no)", async () => {
      const { result, printed, spec } = await interview(["", ...fullAnswers]);
      expect(result).toMatchObject({ written: false, outcome: "kept-existing" });
      expect(printed).toContain("SPEC.md already exists. Replace it when the interview is done? [y/N]");
      expect(printed).toContain("Kept the existing SPEC.md; nothing was written.");
      expect(printed).not.toContain("1/6 Project name");
      expect(spec).toBe(existing);
    });

    it("replaces it after the user says yes", async () => {
      const { result, spec } = await interview(["y", ...fullAnswers]);
      expect(result.written).toBe(true);
      expect(spec).toMatch(/^# Tally\n/);
    });

    it("keeps it when input ends before the interview is done, even after a yes", async () => {
      const { result, spec } = await interview(["yes", "1", "1"]);
      expect(result.outcome).toBe("end-of-input");
      expect(spec).toBe(existing);
    });

    it("replaces it without asking when overwrite is set", async () => {
      const { result, printed, spec } = await interview(fullAnswers, { overwrite: true });
      expect(result.written).toBe(true);
      expect(printed).not.toContain("already exists");
      expect(spec).toMatch(/^# Tally\n/);
    });
  });

  it("refuses a repository directory that does not exist, before asking anything", async () => {
    const attempt = interview(fullAnswers, { repoDir: repo.tempPath("missing") });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/missing is not a directory/);
  });
});
