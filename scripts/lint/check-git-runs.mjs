// The git rule of the architecture notes: @longshot/git is the package that runs git. Outside it
// (and the packages and pending files of scripts/lint/git-runs.mjs), product code must not
//   - start git itself: a call whose first argument is the string "git" (`execFile("git", …)`,
//     `spawn("git", …)`, a promisified or wrapped runner called with "git"), or
//   - hand git a command line through a GitRunner: `x.run({ args: […], … })`.
// Tests, fixtures, benchmarks and test support may run git as they like.
//
//   node scripts/lint/check-git-runs.mjs     checks the repository (part of `pnpm lint`)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isTestCode, readWorkspace, walk } from "./check-imports.mjs";
import { gitPackages, pendingGitRuns } from "./git-runs.mjs";
import { testSupport } from "./layers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ts = createRequire(join(here, "..", "..", "package.json"))("typescript");

const isGitLiteral = (node) =>
  node !== undefined &&
  (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
  node.text === "git";

/** `x.run({ args, … })`: a command line handed to a GitRunner. */
function isRunnerRun(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const request = node.arguments[0];
  return (
    node.expression.name.text === "run" &&
    request !== undefined &&
    ts.isObjectLiteralExpression(request) &&
    request.properties.some((property) => property.name !== undefined && property.name.getText() === "args")
  );
}

/** Each place in `text` that runs git itself, as `{ line, how }`. */
export function gitRunsIn(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isGitLiteral(node.arguments?.[0])) {
      found.push({ node, how: 'starts git itself (a call with "git")' });
    } else if (isRunnerRun(node)) {
      found.push({ node, how: "hands git a command line through a GitRunner (run({ args }))" });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map(({ node, how }) => ({
    line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    how,
  }));
}

/**
 * Every problem of the git rule in the workspace at `root`, one sentence each; `allowed` are the
 * packages that run git by design, `pending` the files that still do (paths from `root`).
 */
export function checkGitRuns(root, { allowed = gitPackages, pending = pendingGitRuns } = {}) {
  const allowedNames = new Set([...allowed.map((entry) => entry.name), ...testSupport.packages]);
  const pendingPaths = new Set(pending.map((entry) => entry.path));
  const problems = [];
  const stillRunning = new Set();
  for (const pkg of readWorkspace(root)) {
    if (allowedNames.has(pkg.name) || pkg.name === "@longshot/bench") continue;
    for (const file of walk(join(pkg.dir, "src"))) {
      if (isTestCode(relative(pkg.dir, file))) continue;
      const path = relative(root, file);
      const runs = gitRunsIn(path, readFileSync(file, "utf8"));
      if (runs.length === 0) continue;
      if (pendingPaths.has(path)) {
        stillRunning.add(path);
        continue;
      }
      for (const run of runs) {
        problems.push(
          `${path}:${run.line}: ${run.how}; outside @longshot/git, call one of its operations (or add one there)`,
        );
      }
    }
  }
  for (const path of pendingPaths) {
    if (!stillRunning.has(path)) {
      problems.push(
        `${path} no longer runs git itself; remove it from pendingGitRuns in scripts/lint/git-runs.mjs`,
      );
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(here, "..", "..");
  const problems = checkGitRuns(root);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write(`git-run check: ${problems.length} problem(s)\n`);
    process.exit(1);
  }
  process.stdout.write("git-run check: git runs only in @longshot/git and the listed places\n");
}
