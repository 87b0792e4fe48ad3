import { AbortError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import {
  defaultPromptDirectory,
  loadPrompts,
  parsePrompt,
  promptNames,
  readPrompt,
  renderPrompt,
} from "./prompt-library.js";

const signal = new AbortController().signal;

describe("prompts", () => {
  it("reads one prompt by name, and refuses a cancelled read with an AbortError", async () => {
    expect((await readPrompt("split", defaultPromptDirectory, signal)).version).toMatch(/^split@\d+$/);
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(readPrompt("split", defaultPromptDirectory, cancelled.signal)).rejects.toBeInstanceOf(
      AbortError,
    );
    await expect(loadPrompts(cancelled.signal)).rejects.toBeInstanceOf(AbortError);
  });

  it("ships every prompt with a version line, numbers for scope, and the work constraints", async () => {
    const prompts = await loadPrompts(signal);
    expect(Object.keys(prompts.versions()).sort()).toEqual([...promptNames].sort());
    for (const name of promptNames) expect(prompts.get(name).version).toMatch(new RegExp(`^${name}@\\d+$`));
    const plan = prompts.render("plan", { tasksPerBatch: 25, maxReplyTokens: 8000, maxFilesPerTask: 6 });
    expect(plan).toContain("At most 25 tasks per batch; your reply must fit in 8000 tokens.");
    expect(plan).toContain("At most 6 files or globs in one task's scope.");
    for (const name of ["plan", "split", "replan", "gap-analysis"] as const) {
      const body = prompts.get(name).body.replace(/\s+/g, " ").toLowerCase();
      expect(body).toContain("no todos, no stubs");
      expect(body).toContain("no deleted or skipped tests");
    }
  });

  it("asks the planner and subplanners to give each shared file a single owner", async () => {
    const prompts = await loadPrompts(signal);
    for (const name of ["plan", "split"] as const) {
      const body = prompts.get(name).body.replace(/\s+/g, " ");
      expect(body).toMatch(/shared file/i);
      expect(body).toContain("index.ts");
      expect(body).toContain("package.json");
    }
    expect(prompts.get("plan").body.replace(/\s+/g, " ")).toContain("Give each shared file one owner");
  });

  it("refuses a prompt without a version line and a render with a missing value", () => {
    expect(() => parsePrompt("plan", "Plan things.\n")).toThrow(
      'Prompt plan does not start with a "<!-- version: N -->" line.',
    );
    const template = parsePrompt("split", "<!-- version: 7 -->\nUp to {{maxSubtasks}} of {{size}}.\n");
    expect(template.version).toBe("split@7");
    expect(() => renderPrompt(template, { maxSubtasks: 3 })).toThrow("Prompt split@7 needs values for size.");
    expect(renderPrompt(template, { maxSubtasks: 3, size: "s" })).toBe("Up to 3 of s.");
  });
});
