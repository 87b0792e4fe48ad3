import { ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { isRepair, type PlannerHarness, startPlannerHarness, task } from "./__fixtures__/planner-harness.js";
import { gapAnalysis } from "./gap-analysis.js";

const goal = "Users can sign up, log in, and reset their password by email.";
const capabilities = "Sign-up and log-in work. No email sending exists.";

/** The gap analysis of the goal against the capabilities, asking the harness's model. */
function analyse(harness: PlannerHarness, extra: { readonly maxTasks?: number } = {}) {
  return gapAnalysis({
    goal,
    capabilities,
    model: harness.model,
    runId: "r1",
    signal: harness.signal,
    ...extra,
  });
}

describe("gapAnalysis", () => {
  it("proposes validated next tasks from a goal and a capabilities document", async () => {
    const reply = {
      summary: "Password reset is missing, and it needs email sending.",
      tasks: [
        task("mailer", { scope: ["src/mail/**"], priority: 80 }),
        task("reset-flow", { scope: ["src/auth/reset.ts"], dependsOn: ["mailer"] }),
      ],
    };
    const harness = await startPlannerHarness(
      new ScriptedPolicy([{ role: "planner", reply: { text: JSON.stringify(reply) } }]),
    );

    const result = await analyse(harness, { maxTasks: 4 });

    expect(result).toEqual({
      ok: true,
      summary: "Password reset is missing, and it needs email sending.",
      repaired: false,
      tasks: [
        expect.objectContaining({
          key: "mailer",
          spec: expect.objectContaining({ scope: ["src/mail/**"], dependsOn: [] }),
        }),
        expect.objectContaining({
          key: "reset-flow",
          spec: expect.objectContaining({ dependsOn: ["mailer"] }),
        }),
      ],
    });
    const request = harness.server.requests[0];
    expect(request?.lastUserText()).toContain(goal);
    expect(request?.lastUserText()).toContain(capabilities);
    expect(request?.messages[0]?.content).toContain("At most 4 tasks.");
    harness.server.assertDone();
  });

  it("reports the problems when the proposal is still invalid after its repair round", async () => {
    const invalid = { summary: "s", tasks: [task("a", { dependsOn: ["a"] })] };
    const harness = await startPlannerHarness(
      new ScriptedPolicy([
        { role: "planner", reply: { text: JSON.stringify(invalid) } },
        { role: "planner", match: isRepair, reply: { text: JSON.stringify(invalid) } },
      ]),
    );

    const result = await analyse(harness);

    expect(result).toEqual({ ok: false, kind: "invalid-plan", problems: ['Dependency cycle: "a" -> "a".'] });
    harness.server.assertDone();
  });
});
