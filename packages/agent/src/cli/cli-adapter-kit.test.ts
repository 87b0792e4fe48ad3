import { describe, expect, it } from "vitest";
import { cliAdapters } from "../create-harness.js";
import type { CliPlanInput } from "./cli-adapter.js";

const token = "lsg-attempt-token-0123456789";
const input: CliPlanInput = {
  command: ["/opt/cli/bin/agent", "--quiet"],
  prompt: "--model evil; do the task",
  model: "gpt-test",
  stateDir: "/tmp/longshot-cli-state",
  workdir: "/workspace",
  endpoint: { baseUrl: "http://127.0.0.1:4100/v1", apiKey: token },
  maxTurns: 7,
};

describe("every CLI adapter's run plan", () => {
  for (const adapter of Object.values(cliAdapters)) {
    it(`${adapter.name}: the command first, the prompt last, the token in one variable and no file`, () => {
      const plan = adapter.plan(input);
      expect(plan.argv.slice(0, 2)).toEqual(input.command);
      // The prompt is one argument at the end, so text in it cannot act as a flag.
      expect(plan.argv.at(-1)).toBe(input.prompt);
      expect(plan.argv.filter((argument) => argument === input.prompt)).toHaveLength(1);
      expect(plan.argv.join(" ")).not.toContain(token);
      expect(Object.entries(plan.env).filter(([, value]) => value.includes(token))).toHaveLength(1);
      for (const file of plan.files) {
        expect(file.content).not.toContain(token);
        expect(file.name).not.toContain("/");
      }
      expect(plan.env.NO_COLOR).toBe("1");
    });
  }
});
