import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSampleRepo, runGitSync, type SampleModule, sampleModules } from "@longshot/testkit";

/**
 * `count` modules for the swarm: the 48 real modules of the sample library first, then
 * synthetic ones (a one-line function and its test), so any task count can be planned.
 */
export function benchModules(count: number): SampleModule[] {
  const modules = sampleModules.slice(0, count);
  for (let index = modules.length; index < count; index++) {
    const name = `gen${String(index).padStart(4, "0")}`;
    const factor = (index % 9) + 2;
    modules.push({
      name,
      summary: `Multiplies a number by ${factor}.`,
      source: `export function ${name}(value: number): number {\n  return value * ${factor};\n}\n`,
      test: [
        'import assert from "node:assert/strict";',
        'import { test } from "node:test";',
        `import { ${name} } from "./${name}.ts";`,
        "",
        `test("${name}", () => {`,
        `  assert.equal(${name}(3), ${3 * factor});`,
        "});",
        "",
      ].join("\n"),
    });
  }
  return modules;
}

const author = { name: "Bench", email: "bench@example.invalid" };

function git(dir: string, args: readonly string[]): string {
  return runGitSync(dir, args, author);
}

/**
 * The sample repository for `modules`, plus `fillerFiles` files of existing code under
 * `vendor/` (which the build does not load) and `test/smoke.test.mjs` (the health check's
 * cheap test command), committed on `main`. Returns the number of tracked files.
 */
export function createBenchRepo(dir: string, modules: readonly SampleModule[], fillerFiles: number): number {
  createSampleRepo(dir, modules);
  for (let index = 0; index < fillerFiles; index++) {
    const folder = join(dir, "vendor", `pkg-${String(index % 60).padStart(2, "0")}`);
    if (index < 60) mkdirSync(folder, { recursive: true });
    const lines = Array.from(
      { length: 30 },
      (_, line) => `export const value${line} = ${(index * 31 + line) % 997}; // vendored helper ${index}`,
    );
    writeFileSync(join(folder, `file-${String(index).padStart(4, "0")}.ts`), `${lines.join("\n")}\n`);
  }
  // The health check's test command runs this one file: real, and cheap at any size.
  mkdirSync(join(dir, "test"), { recursive: true });
  writeFileSync(
    join(dir, "test", "smoke.test.mjs"),
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\n\ntest("the repository loads", () => {\n  assert.ok(true);\n});\n',
  );
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", `Vendor ${fillerFiles} files and a smoke test`]);
  return Number(git(dir, ["ls-files"]).split("\n").length);
}
