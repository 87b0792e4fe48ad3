import { ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { planAll, plannedBatch, startPlannerHarness, task } from "./__fixtures__/planner-harness.js";
import { JsonFilePlannerStateStore } from "./json-file-planner-state-store.js";

const files = {
  "README.md": "# Shop\n\nA tiny shop.\n",
  "SPEC.md": "# Spec\n\nThe HTTP API is described in docs/api.md.\n",
  "docs/api.md": "GET /items returns every item.\n",
  "package.json": '{ "name": "shop" }\n',
};

describe("Planner (root plan)", () => {
  it("turns a scripted two-batch plan into a validated graph with code-assigned ids and branches", async () => {
    const policy = new ScriptedPolicy([
      plannedBatch(
        1,
        [
          task("setup", { scope: ["package.json", "tsconfig.json"], priority: 90 }),
          task("items-model", { scope: ["src/items/model.ts"], dependsOn: ["setup"] }),
        ],
        true,
        "batch 2: the HTTP routes",
      ),
      plannedBatch(
        2,
        [task("items-route", { scope: ["src/routes/items.ts"], dependsOn: ["items-model"] })],
        false,
      ),
    ]);
    const harness = await startPlannerHarness(policy, { files });
    await harness.repo.commit({ "src/index.ts": "export {};\n" }, "Add the entry point");
    const planner = await harness.open({ tasksPerBatch: 10, maxReplyTokens: 3000 });

    const steps = await planAll(planner, harness.signal);

    expect(
      steps.map((step) => [
        step.kind,
        step.kind === "batch" ? step.taskIds : [],
        step.kind === "batch" && step.final,
      ]),
    ).toEqual([
      ["batch", ["t0001", "t0002"], false],
      ["batch", ["t0003"], true],
    ]);
    expect(
      planner.graph.all().map((entry) => [entry.id, entry.branch, entry.dependsOn, entry.state]),
    ).toEqual([
      ["t0001", "longshot/r1/t0001", [], "pending"],
      ["t0002", "longshot/r1/t0002", ["t0001"], "pending"],
      ["t0003", "longshot/r1/t0003", ["t0002"], "pending"],
    ]);
    expect(planner.graph.readyTasks().map((entry) => entry.id)).toEqual(["t0001"]);

    const [first, second] = harness.server.requests;
    const firstText = first?.lastUserText() ?? "";
    expect(firstText).toContain("Build per SPEC.md");
    expect(firstText).toContain("### SPEC.md");
    expect(firstText).toContain("GET /items returns every item.");
    expect(firstText).toContain('{ "name": "shop" }');
    expect(firstText).toContain("Add the entry point");
    expect(firstText).toContain("src/index.ts");
    expect(first?.messages[0]?.content).toContain(
      "At most 10 tasks per batch; your reply must fit in 3000 tokens.",
    );
    expect(first?.maxOutputTokens).toBe(3000);
    expect(second?.lastUserText()).toContain("batch 2: the HTTP routes");
    expect(second?.lastUserText()).toContain("t0002 [pending] (items-model) Build items-model");

    expect(harness.events.map((event) => event.type)).toEqual([
      "plan-start",
      "task-add",
      "task-add",
      "plan-batch",
      "plan-start",
      "task-add",
      "plan-batch",
    ]);
    expect(harness.events.at(-1)).toEqual({ type: "plan-batch", batch: 2, taskIds: ["t0003"], final: true });
    const saved = await new JsonFilePlannerStateStore(harness.statePath).load(harness.signal);
    expect(saved?.promptVersions.plan).toBe("plan@2");
    expect(saved?.keys).toEqual({ setup: "t0001", "items-model": "t0002", "items-route": "t0003" });
    harness.server.assertDone();
  });
});
