// The lint steps beyond `biome check` (run by `pnpm lint`, so by scripts/test.sh and CI):
// 1. each rule proves it still bites: the import check and the git-run check on fixture workspaces
//    must report exactly their planted problems, and Biome (with the repository's rules) must
//    report exactly the floating promises planted in a fixture;
// 2. the import check and the git-run check over the repository.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkGitRuns } from "./check-git-runs.mjs";
import { checkWorkspace, readWorkspace } from "./check-imports.mjs";
import { layers, testSupport } from "./layers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const fixtures = join(here, "__fixtures__");

/** What the import check must say about the fixture workspace, one planted problem each. */
const plantedImportProblems = [
  "packages/engine/src/index.ts: imports @longshot/testkit, which is not in @longshot/engine's dependencies",
  "packages/engine/src/index.ts: product code imports @longshot/testkit, which only tests, fixtures and the app may use",
  "packages/engine/src/index.ts: imports @longshot/planner, which is not in @longshot/engine's dependencies",
  "packages/engine/src/index.ts: imports ../../git/src/helper.js, a file of another package; import the package instead",
  "@longshot/engine: files import each other in a cycle: packages/engine/src/index.ts -> packages/engine/src/worker.ts",
  "@longshot/engine: declares @longshot/git in dependencies but no product file imports it; remove it (or move it to devDependencies)",
  "@longshot/engine: declares @longshot/store in dependencies but no product file imports it; remove it (or move it to devDependencies)",
  "packages/git/src/index.ts: @longshot/git (infra) imports @longshot/engine (runtime, a higher layer); dependencies point down the layer table",
  "@longshot/lonely is in no row of scripts/lint/layers.mjs; add it to its layer there and in the README",
];

function sameSet(actual, expected) {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  return { ok: missing.length === 0 && extra.length === 0, missing, extra };
}

function selfTestImports() {
  const result = sameSet(checkWorkspace(join(fixtures, "layers")), plantedImportProblems);
  return result.ok
    ? []
    : [
        "the import check no longer reports exactly the fixture's planted problems (scripts/lint/__fixtures__/layers)",
        ...result.missing.map((line) => `  not reported: ${line}`),
        ...result.extra.map((line) => `  unexpected: ${line}`),
      ];
}

/** Lines of the files in `dir` that end with `marker` (`// floating`: where Biome must report a floating promise). */
function planted(dir, marker = "// floating") {
  const expected = [];
  for (const name of readdirSync(dir).filter((entry) => entry.endsWith(".ts"))) {
    readFileSync(join(dir, name), "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (line.trimEnd().endsWith(marker)) expected.push(`${name}:${index + 1}`);
      });
  }
  return expected;
}

/**
 * The git-run check on its fixture must report each line marked `// planted` and the pending
 * entry whose file runs no git any more, and nothing in the git package, tests or fakes.
 */
function selfTestGitRuns() {
  const root = join(fixtures, "git-runs");
  const source = "packages/engine/src";
  const stale = `${source}/moved.ts no longer runs git itself; remove it from pendingGitRuns in scripts/lint/git-runs.mjs`;
  const reported = checkGitRuns(root, {
    allowed: [{ name: "@longshot/git", why: "the fixture's git package" }],
    pending: [
      { path: `${source}/pending.ts`, why: "still runs git" },
      { path: `${source}/moved.ts`, why: "runs git no more" },
    ],
  }).map((problem) => /^(\S+:\d+): /.exec(problem)?.[1] ?? problem);
  const expected = [...planted(join(root, source), "// planted").map((line) => `${source}/${line}`), stale];
  const result = sameSet(reported, expected);
  return result.ok
    ? []
    : [
        "the git-run check no longer reports exactly the fixture's planted problems (scripts/lint/__fixtures__/git-runs)",
        ...result.missing.map((line) => `  not reported: ${line}`),
        ...result.extra.map((line) => `  unexpected: ${line}`),
      ];
}

/**
 * Runs Biome with the repository's lint rules on the floating-promise fixture (copied to a
 * scratch directory, since the repository's own lint skips fixtures).
 */
function selfTestFloatingPromises() {
  const source = join(fixtures, "floating-promises");
  const scratch = mkdtempSync(join(tmpdir(), "longshot-lint-"));
  try {
    cpSync(source, scratch, { recursive: true });
    const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
    writeFileSync(join(scratch, "biome.json"), JSON.stringify({ linter: config.linter }));
    const biome = createRequire(join(root, "package.json")).resolve("@biomejs/biome/bin/biome");
    const run = spawnSync(process.execPath, [biome, "lint", "--reporter=github", "."], {
      cwd: scratch,
      encoding: "utf8",
    });
    const reported = [
      ...run.stdout.matchAll(/^::error title=lint\/nursery\/noFloatingPromises,file=([^,]+),line=(\d+)/gm),
    ].map((match) => `${match[1].slice(match[1].lastIndexOf("/") + 1)}:${match[2]}`);
    const result = sameSet(reported, planted(source));
    return result.ok
      ? []
      : [
          "Biome no longer reports exactly the floating promises planted in scripts/lint/__fixtures__/floating-promises",
          ...result.missing.map((line) => `  not reported: ${line}`),
          ...result.extra.map((line) => `  unexpected: ${line}`),
          ...(run.status === 0 || reported.length > 0 ? [] : [`  biome: ${run.stderr.trim().slice(0, 400)}`]),
        ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The README's layer table must place every package where scripts/lint/layers.mjs does. */
function readmeLayers() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const packages = readWorkspace(root);
  const layerOf = new Map(
    [...layers, testSupport].flatMap((row) => row.packages.map((name) => [name, row.layer])),
  );
  const problems = [];
  for (const match of readme.matchAll(/^\| (\w+) \| (`[^|]+`) \|/gm)) {
    const [, layer, cell] = match;
    for (const [, path] of cell.matchAll(/`([^`]+)`/g)) {
      const pattern = new RegExp(`^${path.replace(/\*/g, ".*")}$`);
      for (const pkg of packages.filter((candidate) => pattern.test(candidate.dir.slice(root.length + 1)))) {
        if (layerOf.get(pkg.name) !== layer) {
          problems.push(
            `README.md puts ${pkg.name} in the ${layer} layer, scripts/lint/layers.mjs in ${layerOf.get(pkg.name) ?? "none"}; make them agree`,
          );
        }
      }
    }
  }
  return problems;
}

const problems = [
  ...selfTestImports(),
  ...selfTestGitRuns(),
  ...selfTestFloatingPromises(),
  ...readmeLayers(),
  ...checkWorkspace(root),
  ...checkGitRuns(root),
];
for (const problem of problems) process.stderr.write(`${problem}\n`);
if (problems.length > 0) {
  process.stderr.write(`lint: ${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write(
  `lint: imports of ${readWorkspace(root).length} packages follow the layer table and git runs only where scripts/lint/git-runs.mjs allows; the import, git-run and floating-promise rules catch their fixtures\n`,
);
