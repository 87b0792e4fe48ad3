// The import rules of the architecture notes, checked over every workspace package:
// - a package imports only from packages in lower rows of the layer table (scripts/lint/layers.mjs),
//   and test support (@longshot/testkit) only from tests, fixtures, benchmarks and the app;
// - every workspace package it imports is declared in its package.json (product code: in
//   `dependencies`), and every declared dependency is imported somewhere (or it is dead weight);
// - no relative import leaves its package, and no files of a package import each other in a cycle.
//
//   node scripts/lint/check-imports.mjs          checks the repository (part of `pnpm lint`)
//   node scripts/lint/check-imports.mjs DIR      checks the workspace at DIR (the self-test's fixture)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { layers, testSupport } from "./layers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ts = createRequire(join(here, "..", "..", "package.json"))("typescript");

const sourceDirs = ["src", "bench"];

const skipped = new Set(["node_modules", "dist", "release", ".turbo", "results"]);
const sourceFile = /\.(ts|tsx|mts|mjs|js)$/;

/**
 * Test code, by its path in the package: test files, fixtures, benchmarks, the fakes a package
 * exports for other packages' tests (`testing/`) and its test servers (`src/bin/`).
 */
export function isTestCode(path) {
  return /\.(test|bench)\.tsx?$/.test(path) || /(^|\/)(__fixtures__|bench|testing|bin)\//.test(path);
}

/** The workspace's packages: name, directory and manifest. */
export function readWorkspace(root) {
  const found = [];
  for (const parent of ["packages", "apps"]) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) found.push(join(base, name));
  }
  if (existsSync(join(root, "bench", "package.json"))) found.push(join(root, "bench"));
  return found
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }));
}

/** Every source file under `dir` (TypeScript and JavaScript, no declarations), skipping output and dependencies. */
export function walk(dir, files = []) {
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    if (skipped.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (sourceFile.test(name) && !name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

/** Every module specifier a file names: static, type-only, re-exports and dynamic imports. */
export function importsOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

function rankTable() {
  const rank = new Map();
  layers.forEach((row, index) => {
    for (const name of row.packages) rank.set(name, index);
  });
  return rank;
}

/** Resolves a relative import to a file of the package, trying the TypeScript sources of `.js`. */
function resolveRelative(from, specifier) {
  const target = resolve(dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.js$/, ".tsx")];
  candidates.push(`${target}.ts`, join(target, "index.ts"));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? null;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
export function cyclesOf(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), index.get(target)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Checks one package's files; returns the problems and what its product and test code import. */
function checkPackage(pkg, names, rank, root) {
  const problems = [];
  const used = { product: new Set(), any: new Set() };
  const dependencies = pkg.manifest.dependencies ?? {};
  const devDependencies = pkg.manifest.devDependencies ?? {};
  const graph = new Map();
  const own = rank.get(pkg.name);
  const isApp = own !== undefined && layers[own].layer === "app";
  const files = sourceDirs.flatMap((dir) => walk(join(pkg.dir, dir)));
  // The benchmark package is test code throughout.
  const benchmark = pkg.name === "@longshot/bench";
  for (const file of files) {
    const path = relative(root, file);
    const test = benchmark || isTestCode(relative(pkg.dir, file));
    const edges = [];
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) {
        const target = resolveRelative(file, specifier);
        if (target !== null && relative(pkg.dir, target).startsWith("..")) {
          problems.push(
            `${path}: imports ${specifier}, a file of another package; import the package instead`,
          );
        } else if (target !== null) edges.push(target);
        continue;
      }
      if (specifier.startsWith("node:")) continue;
      const target = packageOf(specifier);
      if (target === pkg.name) continue;
      used.any.add(target);
      if (!test || benchmark) used.product.add(target);
      if (!names.has(target)) {
        if (!(target in dependencies) && !(target in devDependencies) && !/^[a-z]+$/.test(target)) {
          problems.push(`${path}: imports ${target}, which ${pkg.name}'s package.json does not declare`);
        }
        continue;
      }
      if (!(target in dependencies) && (!test || !(target in devDependencies))) {
        const where = test ? "dependencies or devDependencies" : "dependencies";
        problems.push(`${path}: imports ${target}, which is not in ${pkg.name}'s ${where}`);
      }
      problems.push(...layerProblems(path, pkg.name, target, { own, test, isApp, rank }));
    }
    graph.set(file, edges);
  }
  for (const cycle of cyclesOf(graph)) {
    const shown = cycle.map((file) => relative(root, file));
    problems.push(`${pkg.name}: files import each other in a cycle: ${shown.join(" -> ")}`);
  }
  // The benchmark suite declares the packages whose own benchmarks it runs, so turbo builds them.
  for (const name of benchmark ? [] : Object.keys(dependencies)) {
    if (names.has(name) && !used.product.has(name)) {
      problems.push(
        `${pkg.name}: declares ${name} in dependencies but no product file imports it; remove it (or move it to devDependencies)`,
      );
    }
  }
  for (const name of Object.keys(devDependencies)) {
    if (names.has(name) && !used.any.has(name)) {
      problems.push(`${pkg.name}: declares ${name} in devDependencies but no file imports it; remove it`);
    }
  }
  return problems;
}

function layerProblems(path, from, target, { own, test, isApp, rank }) {
  if (testSupport.packages.includes(from)) {
    return testSupport.builtOn.includes(target)
      ? []
      : [`${path}: test support imports ${target}; it builds on the base only`];
  }
  if (testSupport.packages.includes(target)) {
    return test || isApp
      ? []
      : [`${path}: product code imports ${target}, which only tests, fixtures and the app may use`];
  }
  const theirs = rank.get(target);
  if (own === undefined || theirs === undefined || theirs > own) return [];
  const where = theirs === own ? "the same row" : "a higher layer";
  return [
    `${path}: ${from} (${layers[own].layer}) imports ${target} (${layers[theirs].layer}, ${where}); dependencies point down the layer table`,
  ];
}

/** Every problem in the workspace at `root`, as one sentence each; empty when it follows the rules. */
export function checkWorkspace(root) {
  const packages = readWorkspace(root);
  const names = new Set(packages.map((pkg) => pkg.name));
  const rank = rankTable();
  const problems = [];
  for (const pkg of packages) {
    if (!rank.has(pkg.name) && !testSupport.packages.includes(pkg.name)) {
      problems.push(
        `${pkg.name} is in no row of scripts/lint/layers.mjs; add it to its layer there and in the README`,
      );
    }
    problems.push(...checkPackage(pkg, names, rank, root));
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(here, "..", ".."));
  const problems = checkWorkspace(root);
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (problems.length > 0) {
    process.stderr.write(`import check: ${problems.length} problem(s)\n`);
    process.exit(1);
  }
  process.stdout.write(`import check: ${readWorkspace(root).length} packages follow the layer table\n`);
}
