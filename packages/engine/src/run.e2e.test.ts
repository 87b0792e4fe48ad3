import { afterEach, describe, expect, it } from "vitest";
import { type SampleRun, sampleRun } from "./__fixtures__/sample-run.js";

let sample: SampleRun | null = null;
afterEach(async () => {
  await sample?.close();
  sample = null;
});

describe("a whole run on a real repository", () => {
  it("plans, builds, reviews and lands every task of the sample library", async () => {
    sample = await sampleRun({ modules: 12, workers: 4 });
    const { engine, start, integrationBranch } = await sample.open("r-e2e-small", "Build per SPEC.md");
    const result = await engine.run(start);
    const tasks = sample.store.listTasks("r-e2e-small");
    expect(result.status).toBe("green");
    expect(tasks).toHaveLength(14);
    expect(tasks.filter((task) => task.state === "landed")).toHaveLength(14);
    const files = sample.git("ls-tree", "-r", "--name-only", integrationBranch).split("\n");
    for (const module of sample.modules) {
      expect(files).toContain(`src/${module.name}.ts`);
      expect(files).toContain(`src/${module.name}.test.ts`);
    }
    const index = sample.git("show", `${integrationBranch}:src/index.ts`);
    for (const module of sample.modules) expect(index).toContain(`export { ${module.name} }`);
    sample.server.assertDone();
  });
});
