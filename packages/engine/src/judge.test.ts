import { loadConfig, type Task } from "@longshot/core";
import { modelClientFromConfig } from "@longshot/llm";
import { fakeTask, ScriptedPolicy, startFakeLlm } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { ModelJudge } from "./judge.js";

const task: Task = fakeTask("r-judge", "t0004", {
  state: "review",
  attempts: 1,
  title: "Implement median",
  description: "median of a list",
  acceptance: ["src/median.test.ts passes"],
  scope: ["src/median.ts", "src/median.test.ts"],
});

describe("ModelJudge", () => {
  it("reviews with the checks run on the attempt's commit and cites them in its verdict", async () => {
    const policy = new ScriptedPolicy([
      {
        role: "judge",
        reply: { text: JSON.stringify({ accepted: false, feedback: "the median test fails" }) },
      },
    ]);
    const server = await startFakeLlm({ policy, models: ["fake-model"] });
    try {
      const { config } = loadConfig({
        env: { LLM_BASE_URL: server.url, LLM_API_KEY: "sk-judge-test-1234", LLM_MODEL: "fake-model" },
      });
      const { client } = await modelClientFromConfig(config, { signal: new AbortController().signal });
      const verdict = await new ModelJudge(client).review(
        {
          runId: "r-judge",
          task,
          handoff: {
            status: "complete",
            summary: "added median",
            filesChanged: [],
            concerns: [],
            suggestions: [],
          },
          diff: "+export const median = () => 0;",
          checks: [
            { name: "build", command: "npm run build", ok: true, durationMs: 5, counts: null, excerpt: "" },
            {
              name: "test",
              command: "node --test 'src/median.test.ts'",
              ok: false,
              durationMs: 9,
              counts: { passed: 3, failed: 2, skipped: 0 },
              excerpt: "✖ median of three\n  2 !== 0",
            },
          ],
          concerns: [],
        },
        new AbortController().signal,
      );
      const prompt = server.requests[0]!.messages.map((message) => message.content).join("\n");
      expect(prompt).toContain("Checks run on this commit in the worker's sandbox:");
      expect(prompt).toContain("- build `npm run build`: pass");
      expect(prompt).toContain(
        "- test `node --test 'src/median.test.ts'`: FAIL (3 passed, 2 failed, 0 skipped)\n✖ median of three",
      );
      expect(verdict).toEqual({
        accepted: false,
        feedback: "the median test fails [checks: build pass · test FAIL (2 failed, 3 passed)]",
      });
      policy.assertDone();
    } finally {
      await server.close();
    }
  });
});
