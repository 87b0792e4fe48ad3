import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { type SampleRun, samplePerTest } from "./__fixtures__/sample-run.js";

const openSample = samplePerTest();

type Of<T extends LongshotEvent["type"]> = Extract<LongshotEvent, { type: T }>;
const ofType =
  <T extends LongshotEvent["type"]>(type: T) =>
  (event: LongshotEvent): event is Of<T> =>
    event.type === type;

/** Every module task registers itself on the one registry line of src/index.ts, all at once. */
async function racingRegistry(runId: string, carelessResolutionEvery: number) {
  const sample = await openSample({
    modules: 5,
    workers: 5,
    scenario: { sharedIndexEvery: 1, carelessResolutionEvery },
  });
  const { engine, start, integrationBranch } = await sample.open(runId, "Build per SPEC.md");
  const result = await engine.run(start);
  const events = sample.store.events(runId);
  return { result, events, integrationBranch, run: sample };
}

/**
 * Module tasks that did not land. (The barrel task finds every module exported already and has
 * nothing to commit, which is another matter.)
 */
function unlanded(run: SampleRun, runId: string): string[] {
  return run.store
    .listTasks(runId)
    .filter((task) => task.title.startsWith("Implement") && task.state !== "landed")
    .map((task) => `${task.id} ${task.state}`);
}

/** src/index.ts at every commit the run landed: none may declare the registry twice. */
function registriesLanded(run: SampleRun, events: readonly LongshotEvent[]): number[] {
  return events.filter(ofType("merge-land")).map(
    (event) =>
      run
        .git("show", `${event.sha}:src/index.ts`)
        .split("\n")
        .filter((line) => line.startsWith("export const registry")).length,
  );
}

describe("conflicts resolved at the size of the conflict", () => {
  it("lands a conflict the model step resolved without running the task again, and books its tokens to the task as fixer", async () => {
    const { result, events, integrationBranch, run } = await racingRegistry("r-hunks", 0);
    expect(result.status).toBe("green");
    expect(unlanded(run, "r-hunks")).toEqual([]);

    const conflicts = events.filter(ofType("merge-conflict"));
    const resolutions = events.filter(ofType("conflict-resolution"));
    expect(conflicts.length).toBeGreaterThan(0);
    expect(resolutions.length).toBe(conflicts.length);
    expect(resolutions.every((event) => event.method === "hunks" && event.ok && event.hunks > 0)).toBe(true);
    // No task ran twice: every conflict cost one model call, not an attempt.
    const modules = new Set(
      run.store
        .listTasks("r-hunks")
        .filter((task) => task.title.startsWith("Implement"))
        .map((task) => task.id),
    );
    const attempts = events.filter(ofType("attempt-start")).filter((event) => modules.has(event.taskId));
    expect(attempts.length).toBe(modules.size);
    // Each verified resolution is what landed for its task.
    for (const resolution of resolutions) {
      const landed = events
        .filter(ofType("merge-enqueue"))
        .filter((event) => event.taskId === resolution.taskId);
      expect(landed.map((event) => event.commit)).toContain(resolution.commit);
    }

    // Both sides' intent survived: the registry names every module once, each export line once.
    const index = run.git("show", `${integrationBranch}:src/index.ts`);
    for (const module of run.modules) {
      expect(index).toContain(`"${module.name}"`);
      expect(index.split(`export { ${module.name} }`).length).toBe(2);
    }
    expect(registriesLanded(run, events).every((count) => count === 1)).toBe(true);

    // The tokens: one fixer call per resolution, each booked to the task it resolved for.
    const fixerCalls = events.filter(ofType("model-call-end")).filter((event) => event.role === "fixer");
    expect(fixerCalls.map((event) => event.taskId).sort()).toEqual(
      resolutions.map((event) => event.taskId).sort(),
    );
    const tokens = (list: readonly { readonly usage: { readonly promptTokens: number } }[]) =>
      list.reduce((sum, event) => sum + event.usage.promptTokens, 0);
    for (const taskId of new Set(resolutions.map((event) => event.taskId))) {
      const recorded = resolutions.filter((event) => event.taskId === taskId);
      expect(tokens(recorded)).toBeGreaterThan(0);
      expect(tokens(recorded)).toBe(tokens(fixerCalls.filter((event) => event.taskId === taskId)));
    }
    const fixer = run.store.costByRole("r-hunks").find((row) => row.key === "fixer");
    expect(fixer?.calls).toBe(resolutions.length);
    expect(run.stats.resolutions).toBe(resolutions.length);
    run.server.assertDone();
  });

  it("catches a wrong resolution with the checks, never lands it, and runs the task again", async () => {
    const { result, events, integrationBranch, run } = await racingRegistry("r-careless", 1);
    expect(result.status).toBe("green");
    expect(unlanded(run, "r-careless")).toEqual([]);

    const resolutions = events.filter(ofType("conflict-resolution"));
    const failed = resolutions.filter((event) => event.method === "hunks");
    expect(failed.length).toBeGreaterThan(0);
    // Every answer kept both sides, which declares the registry twice: the build caught each one.
    for (const event of failed) {
      expect(event.ok).toBe(false);
      expect(event.commit).toBeNull();
      expect(event.reason).toMatch(/^build failed on the resolution/);
      expect(event.usage.promptTokens).toBeGreaterThan(0);
    }
    expect(run.stats.carelessResolutions).toBe(failed.length);
    // Each caught one sent its task back: a re-run of the same attempt's work, with its own tokens.
    for (const event of failed) {
      const rerun = resolutions.find(
        (other) =>
          other.method === "rerun" && other.taskId === event.taskId && other.attempt === event.attempt,
      );
      expect(rerun?.ok).toBe(true);
      expect(rerun?.usage.promptTokens).toBeGreaterThan(0);
    }
    // Nothing wrong ever reached the branch.
    expect(registriesLanded(run, events).every((count) => count === 1)).toBe(true);
    const index = run.git("show", `${integrationBranch}:src/index.ts`);
    for (const module of run.modules) expect(index).toContain(`"${module.name}"`);
  });

  it("with MERGE_RESOLVE_HUNKS=false, answers every conflict with a new attempt", async () => {
    const sample = await openSample({
      modules: 4,
      workers: 4,
      scenario: { sharedIndexEvery: 1 },
      env: { MERGE_RESOLVE_HUNKS: "false" },
    });
    const { engine, start } = await sample.open("r-off", "Build per SPEC.md");
    expect((await engine.run(start)).status).toBe("green");
    const events = sample.store.events("r-off");
    expect(events.filter(ofType("merge-conflict")).length).toBeGreaterThan(0);
    expect(events.filter(ofType("conflict-resolution")).every((event) => event.method === "rerun")).toBe(
      true,
    );
    expect(sample.stats.resolutions).toBe(0);
  });
});
