import { Git, ProcessGitRunner } from "@longshot/git";
import { testIdentity } from "@longshot/testkit";
import { expect, it } from "vitest";
import { integration, projectFiles, projectPerTest, settle } from "./__fixtures__/project.js";
import { withoutHiddenTests } from "./hidden-commits.js";

const hiddenTest = [
  'import { test } from "node:test";',
  'import assert from "node:assert/strict";',
  'import { mul } from "../../src/mul.js";',
  'test("multiplies three by four", () => assert.equal(mul(3, 4), 12));',
  "",
].join("\n");

const openProject = projectPerTest();

it("runs the held-out tests from their trusted copy and files fix tasks that never mention them", async () => {
  const project = await openProject({
    files: {
      ...projectFiles,
      "src/mul.js": "export const mul = (a, b) => a * b;\n",
      "tests/acceptance/mul.test.js": hiddenTest,
    },
    hidden: (initial) => ({ path: "tests/acceptance", source: initial }),
  });
  const { repo, reconciler, engine, land } = project;
  const runner = new ProcessGitRunner();
  const heldOut = await withoutHiddenTests(repo.initial, {
    git: new Git(repo.path, { runner }),
    runner,
    path: "tests/acceptance",
    identity: testIdentity,
  });
  await repo.git(["branch", "--force", integration, heldOut]);

  await settle(reconciler);
  const [first] = engine.eventsOf("health-check");
  expect(first?.green).toBe(true);
  expect(first?.checks.find((check) => check.name === "acceptance")).toMatchObject({
    ok: true,
    counts: { passed: 1, failed: 0, skipped: 0 },
  });

  const culprit = await land("t0001", { "src/mul.js": "export const mul = (a, b) => a + b;\n" });
  await land("t0002", {
    "tests/acceptance/mul.test.js":
      'import { test } from "node:test";\ntest("multiplies three by four", () => {});\n',
  });
  await settle(reconciler);

  const last = engine.eventsOf("health-check").at(-1);
  expect(last?.checks.map((check) => [check.name, check.ok])).toEqual([
    ["build", true],
    ["test", true],
    ["acceptance", false],
  ]);
  expect(engine.requests).toHaveLength(1);
  const [request] = engine.requests;
  expect(request?.culprit?.sha).toBe(culprit.sha);
  const shown = JSON.stringify(request?.spec);
  expect(shown).not.toContain("tests/acceptance");
  expect(shown).not.toContain("multiplies three by four");
  expect(shown).toContain("held-out acceptance tests fail");
  expect(request?.spec.scope).toEqual(["src/mul.js"]);
});
