import { loadConfig } from "@longshot/core";
import { type LanguageModel, modelClientFromConfig } from "@longshot/llm";
import {
  createTempRepo,
  type FakeLlmServer,
  type FakeReply,
  startFakeLlm,
  type TempRepo,
} from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pipedInterview } from "./__fixtures__/piped-interview.js";
import { tallyRepoFiles } from "./__fixtures__/tally-repo.js";

let repo: TempRepo;
let server: FakeLlmServer | undefined;
const controller = new AbortController();

beforeEach(async () => {
  repo = await createTempRepo({ files: tallyRepoFiles });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await repo.cleanup();
});

async function modelServing(reply: (question: string) => FakeReply): Promise<LanguageModel> {
  server = await startFakeLlm({
    policy: (request) => reply(/Question \(([^)]+)\)/.exec(request.lastUserText())?.[1] ?? "unknown"),
  });
  const { config } = loadConfig({
    env: {
      LLM_BASE_URL: server.url,
      LLM_API_KEY: "sk-test-key",
      LLM_MODEL: "fake-model",
      LLM_MAX_RETRIES: "0",
    },
  });
  const { client } = await modelClientFromConfig(config, { signal: controller.signal });
  return client;
}

function interview(model: LanguageModel, lines: readonly string[]) {
  return pipedInterview(lines, { repoDir: repo.path, model, signal: controller.signal });
}

const pickFirstEverywhere = ["1", "1", "1", "1", "", "1", "", "1", ""];

describe("suggestions from a model", () => {
  it("offers the model's suggestions, asked as the planner with the answers so far", async () => {
    const model = await modelServing((question) => ({
      text: JSON.stringify({
        suggestions: [`${question} from the model`, `another ${question.toLowerCase()} idea`, "a third one"],
      }),
    }));
    const { result, printed, spec } = await interview(model, pickFirstEverywhere);
    expect(result.written).toBe(true);
    expect(spec).toContain("## Problem\n\nProblem from the model\n");
    expect(spec).toContain("## Users\n\nUsers from the model\n");
    expect(spec).toContain("1. Core features from the model\n");
    expect(spec).toContain("- Constraints from the model\n");
    expect(spec).toContain("- [ ] Acceptance from the model\n");
    // Three from the model, topped up with one from the repository.
    expect(printed).toContain("  3. a third one\n  4. `pnpm test` passes\n");

    const requests = server?.requests ?? [];
    // The name comes from the repository; every other question asks the model once.
    expect(requests).toHaveLength(5);
    expect(requests.every((request) => request.role === "planner")).toBe(true);
    const last = requests.at(-1)?.lastUserText() ?? "";
    expect(last).toContain("Question (Acceptance)");
    expect(last).toContain("Writers lose track of progress");
    expect(last).toContain("features: Core features from the model");
    server?.assertDone();
  });

  it("falls back to the repository's suggestions after the model fails, and stops asking it", async () => {
    const model = await modelServing(() => ({
      fault: "server-error",
      status: 500,
      message: "model is down",
    }));
    const { result, printed, spec } = await interview(model, pickFirstEverywhere);
    expect(result.written).toBe(true);
    expect(printed).toMatch(/No suggestions from the model: .+\. Using suggestions from the repository\./);
    expect(spec).toContain("## Problem\n\nWriters lose track of progress across many Markdown drafts.\n");
    expect(spec).toContain("- [ ] `pnpm test` passes\n");
    expect(server?.requests).toHaveLength(1);
  });

  it("falls back when the model's reply is not the JSON asked for, after one repair round", async () => {
    const model = await modelServing(() => ({ text: "Sure! Here are some ideas: be concise." }));
    const { printed, spec } = await interview(model, pickFirstEverywhere);
    expect(printed).toContain("No suggestions from the model: the model's reply was not valid");
    expect(spec).toContain("## Problem\n\nWriters lose track of progress across many Markdown drafts.\n");
    expect(server?.requests).toHaveLength(2);
  });
});
