import type { Task } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { hotClaims, isSharedFile } from "./hot-files.js";
import type { TaskView } from "./run-state.js";

function view(task: Partial<Task>, conflictFiles: readonly string[] = []): TaskView {
  return {
    task: fakeTask("r1", "t0001", {
      title: "A task",
      description: "",
      scope: [],
      branch: "b",
      state: "ready",
      createdAt: 0,
      ...task,
    }),
    attempts: [],
    conflictFiles,
    landedSha: null,
    conflicts: 0,
    lastReason: "",
    cancelledFrom: null,
    sentBack: null,
  };
}

describe("hot files", () => {
  it("knows the files many tasks touch: barrels, manifests, lockfiles, registries", () => {
    for (const path of [
      "src/index.ts",
      "package.json",
      "pnpm-lock.yaml",
      "pkg/__init__.py",
      "src/lib.rs",
      "src/plugin-registry.ts",
      "app/routes.ts",
      "CHANGELOG.md",
    ])
      expect(isSharedFile(path), path).toBe(true);
    for (const path of ["src/clamp.ts", "README.md", "src/registrations/form.ts", "docs/index.md"])
      expect(isSharedFile(path), path).toBe(false);
  });

  it("claims the hot files a task's scope lists, its text names, or it conflicted in before", () => {
    const claims = hotClaims(
      view(
        {
          scope: ["src/clamp.ts", "package.json"],
          description: "Implement clamp and export it from src/index.ts; see src/other.ts.",
          acceptance: ["`src/table.ts` lists it"],
        },
        ["src/shared.ts"],
      ),
      new Set(["src/table.ts"]),
    );
    expect([...claims].sort()).toEqual(["package.json", "src/index.ts", "src/shared.ts", "src/table.ts"]);
  });
});
