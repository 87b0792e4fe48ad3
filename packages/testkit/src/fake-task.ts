import type { Task } from "@longshot/core";

/**
 * A planned task for tests: a small pending `plan` task of run `runId` on its own branch
 * (`longshot/<run>/<id>`), touching `src/<id>.ts`, with no dependencies, no attempts and no
 * acceptance criteria; `overrides` set any field.
 */
export function fakeTask(runId: string, id: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    runId,
    kind: "plan",
    title: `Task ${id}`,
    description: `Do ${id}`,
    acceptance: [],
    scope: [`src/${id}.ts`],
    dependsOn: [],
    priority: 50,
    size: "s",
    composite: false,
    context: "",
    branch: `longshot/${runId}/${id}`,
    parentId: null,
    state: "pending",
    attempts: 0,
    fingerprint: null,
    createdAt: 1000,
    ...overrides,
  };
}
