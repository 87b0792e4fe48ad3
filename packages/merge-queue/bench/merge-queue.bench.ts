/**
 * Merge queue benchmark: lands 200 task branches (5% conflicting by design) through the
 * worktree-free MergeQueue and through a rebase-in-a-worktree integrator (checkout, `git rebase`,
 * `git merge --ff-only`, as the precursor did), in the same run on the same repository.
 *
 *   pnpm --filter @longshot/merge-queue bench [results.json] [--branches N]
 *
 * Writes JSON results (default bench/results/merge-queue-<time>.json) and prints a table.
 * Goals on a 2-core machine: queue >= 50 merges/s and >= 5x the worktree integrator.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Git } from "@longshot/git";
import {
  type BranchSpec,
  createBranches,
  createTempRepo,
  runGit,
  type TempRepo,
  tryGit,
} from "@longshot/testkit";
import { LocalBranchTarget, MergeQueue } from "../dist/index.js";

interface RunResult {
  readonly landed: number;
  readonly conflicts: number;
  readonly other: number;
  readonly seconds: number;
  readonly mergesPerSecond: number;
  readonly branchesPerSecond: number;
  readonly head: string;
}

const goals = { mergesPerSecond: 50, ratio: 5 } as const;
const baseFiles = 400;

function parseArguments(argv: readonly string[]): { output: string | null; branches: number } {
  let output: string | null = null;
  let branches = 200;
  for (let index = 0; index < argv.length; index++) {
    const value = argv[index] ?? "";
    if (value === "--branches") branches = Number(argv[++index]);
    else output = value;
  }
  return { output, branches };
}

function moduleSource(index: number, variant: string): string {
  const lines = [`// module ${index}`, `export const name${index} = "${variant}";`];
  for (let line = 0; line < 18; line++) lines.push(`export const value${index}_${line} = ${line};`);
  return `${lines.join("\n")}\n`;
}

/**
 * Branch i edits its own module and adds a file, in two commits, forked from the base. Branches
 * i and i+10 of every block of 20 also rewrite the same line of a shared file, so exactly one of
 * each such pair conflicts: 5% of the branches.
 */
function branchSpecs(base: string, count: number): BranchSpec[] {
  const specs: BranchSpec[] = [];
  for (let index = 0; index < count; index++) {
    const own = index % baseFiles;
    const first: Record<string, string> = { [`src/module-${own}.ts`]: moduleSource(own, `task ${index}`) };
    const block = Math.floor(index / 20);
    if (index % 20 === 0 || index % 20 === 10)
      first[`src/hot-${block}.ts`] = `export const owner = "task ${index}";\n`;
    specs.push({
      name: `task/${String(index).padStart(4, "0")}`,
      from: base,
      commits: [
        { files: first, message: `task ${index}: edit module ${own}` },
        {
          files: { [`src/feature-${index}.ts`]: `export const feature${index} = true;\n` },
          message: `task ${index}: add feature`,
        },
      ],
    });
  }
  return specs;
}

async function runQueue(repo: TempRepo, base: string, tips: readonly string[]): Promise<RunResult> {
  await repo.git(["branch", "bench/queue", base]);
  const git = new Git(repo.path);
  const queue = new MergeQueue({
    git,
    target: new LocalBranchTarget(git, "bench/queue"),
    committer: { name: "Longshot", email: "bot@longshot.invalid" },
  });
  const started = performance.now();
  // The engine hands the queue each attempt's tip sha.
  tips.forEach((commit, index) => {
    queue.enqueue({ taskId: `t${String(index).padStart(4, "0")}`, attempt: 1, commit });
  });
  const results = await queue.drain();
  const seconds = (performance.now() - started) / 1000;
  const landed = results.filter((result) => result.kind === "landed").length;
  const conflicts = results.filter((result) => result.kind === "conflict").length;
  return summarize({ landed, conflicts, branches: tips.length }, seconds, await repo.sha("bench/queue"));
}

async function runWorktreeRebase(repo: TempRepo, base: string, names: readonly string[]): Promise<RunResult> {
  const worktree = repo.tempPath("integrator");
  await repo.git(["worktree", "add", "--quiet", "-b", "bench/worktree", worktree, base]);
  let landed = 0;
  let conflicts = 0;
  const started = performance.now();
  for (const name of names) {
    await runGit(worktree, ["checkout", "--quiet", "--detach", name]);
    const rebase = await tryGit(worktree, ["rebase", "--quiet", "bench/worktree"]);
    if (rebase.exitCode !== 0) {
      await runGit(worktree, ["rebase", "--abort"]);
      await runGit(worktree, ["checkout", "--quiet", "bench/worktree"]);
      conflicts++;
      continue;
    }
    const rebased = await runGit(worktree, ["rev-parse", "HEAD"]);
    await runGit(worktree, ["checkout", "--quiet", "bench/worktree"]);
    await runGit(worktree, ["merge", "--quiet", "--ff-only", rebased]);
    landed++;
  }
  const seconds = (performance.now() - started) / 1000;
  return summarize({ landed, conflicts, branches: names.length }, seconds, await repo.sha("bench/worktree"));
}

/** The figures of landing `branches` branches in `seconds`: the ones neither landed nor conflicted are `other`. */
function summarize(
  counts: { readonly landed: number; readonly conflicts: number; readonly branches: number },
  seconds: number,
  head: string,
): RunResult {
  const { landed, conflicts, branches } = counts;
  return {
    landed,
    conflicts,
    other: branches - landed - conflicts,
    seconds: round(seconds),
    mergesPerSecond: round(landed / seconds),
    branchesPerSecond: round(branches / seconds),
    head,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const { output, branches } = parseArguments(process.argv.slice(2));
  const files: Record<string, string> = {};
  for (let index = 0; index < baseFiles; index++)
    files[`src/module-${index}.ts`] = moduleSource(index, "base");
  for (let block = 0; block < Math.ceil(branches / 20); block++)
    files[`src/hot-${block}.ts`] = `export const owner = "base";\n`;
  const repo = await createTempRepo({ files, message: "base" });
  try {
    const specs = branchSpecs(repo.initial, branches);
    const tips = await createBranches(repo.path, specs);
    const names = specs.map((spec) => spec.name);
    const queue = await runQueue(
      repo,
      repo.initial,
      names.map((name) => tips.get(name) ?? name),
    );
    const worktree = await runWorktreeRebase(repo, repo.initial, names);
    const sameTree =
      (await repo.git(["rev-parse", `${queue.head}^{tree}`])) ===
      (await repo.git(["rev-parse", `${worktree.head}^{tree}`]));
    const ratio = round(queue.mergesPerSecond / worktree.mergesPerSecond);
    const results = {
      benchmark: "merge-queue",
      at: new Date().toISOString(),
      node: process.version,
      git: await new Git(repo.path).version().then((version) => version.text),
      cpus: availableParallelism(),
      repository: {
        files: baseFiles + Math.ceil(branches / 20),
        branches,
        commitsPerBranch: 2,
        conflictingByDesign: branches / 20,
      },
      queue,
      worktreeRebase: worktree,
      ratio,
      sameFinalTree: sameTree,
      goals,
      pass: queue.mergesPerSecond >= goals.mergesPerSecond && ratio >= goals.ratio,
    };
    const here = dirname(fileURLToPath(import.meta.url));
    const target = output ?? join(here, "results", `merge-queue-${results.at.replace(/[:.]/g, "-")}.json`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `${table([
        ["integrator", "landed", "conflicts", "seconds", "merges/s"],
        [
          "merge queue (merge-tree, CAS update-ref)",
          `${queue.landed}`,
          `${queue.conflicts}`,
          `${queue.seconds}`,
          `${queue.mergesPerSecond}`,
        ],
        [
          "worktree rebase + ff (precursor)",
          `${worktree.landed}`,
          `${worktree.conflicts}`,
          `${worktree.seconds}`,
          `${worktree.mergesPerSecond}`,
        ],
      ])}\n\nratio ${ratio}x (goal >= ${goals.ratio}x), queue ${queue.mergesPerSecond} merges/s (goal >= ${goals.mergesPerSecond}); same final tree: ${sameTree}; ${results.pass ? "PASS" : "FAIL"}\nresults: ${target}\n`,
    );
    if (!results.pass) process.exitCode = 1;
  } finally {
    await repo.cleanup();
  }
}

await main();
