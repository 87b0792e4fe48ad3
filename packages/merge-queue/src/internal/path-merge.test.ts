import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Git, type GitPlumbing, ProcessGitRunner } from "@longshot/git";
import { createTempRepo, seededRandom, type TempRepo } from "@longshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathMerge } from "./path-merge.js";

/** path → content; a content starting with "#!" is committed executable. */
type Files = Record<string, string>;

let repo: TempRepo;
let git: Git;
let plumbing: GitPlumbing;
const runner = new ProcessGitRunner();
let sequence = 0;

beforeAll(async () => {
  repo = await createTempRepo({ files: { "README.md": "x\n" } });
  git = new Git(repo.path);
  const opened = await git.openPlumbing();
  if (opened === null) throw new Error("no plumbing with this git");
  plumbing = opened;
});
afterAll(async () => {
  await plumbing.close();
  await repo.cleanup();
});

async function gitIn(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runner.run({
    args,
    cwd: repo.path,
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@x",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@x",
      ...env,
    },
  });
  if (result.exitCode !== 0 && !(args[0] === "merge-tree" && result.exitCode === 1)) {
    throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  }
  return result.stdout.trim();
}

/** Commits `files` as a whole tree on `parent` (or as a root commit) and returns the commit. */
async function commitFiles(files: Files, parent: string | null): Promise<string> {
  const dir = repo.tempPath(`tree-${sequence++}`);
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    if (content.startsWith("#!")) await chmod(file, 0o755);
  }
  await mkdir(dir, { recursive: true });
  const env = { GIT_INDEX_FILE: `${dir}.index`, GIT_WORK_TREE: dir };
  await gitIn(["add", "-A"], env);
  const tree = await gitIn(["write-tree"], env);
  await rm(dir, { recursive: true, force: true });
  return gitIn(["commit-tree", tree, ...(parent === null ? [] : ["-p", parent]), "-m", "c"]);
}

async function treeOf(commit: string): Promise<string> {
  return gitIn(["rev-parse", `${commit}^{tree}`]);
}

/** What git's own merge says: the clean tree, or null for a conflict. */
async function gitMerge(ours: string, theirs: string): Promise<string | null> {
  const result = await runner.run({ args: ["merge-tree", "--write-tree", ours, theirs], cwd: repo.path });
  return result.exitCode === 0 ? result.stdout.trim().split("\n")[0]! : null;
}

async function compare(
  base: Files,
  ours: Files,
  theirs: Files,
): Promise<{ quick: string | null; git: string | null }> {
  const baseCommit = await commitFiles(base, null);
  const [ourCommit, theirCommit] = [
    await commitFiles(ours, baseCommit),
    await commitFiles(theirs, baseCommit),
  ];
  const quick = await pathMerge(
    plumbing,
    await treeOf(baseCommit),
    await treeOf(ourCommit),
    await treeOf(theirCommit),
  );
  return { quick, git: await gitMerge(ourCommit, theirCommit) };
}

/** One side's random edits: modify, add, delete, rename a file, rename a directory, make executable. */
function edit(files: Files, next: () => number, side: string): Files {
  const result = { ...files };
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const dirs = ["src", "src/lib", "src/lib/deep", "docs", "test"];
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const paths = Object.keys(result);
    const path = pick(paths);
    const roll = next();
    if (path !== undefined && roll < 0.3) result[path] = `${result[path]}${side} edit\n`;
    else if (roll < 0.5) result[`${pick(dirs)}/${side}-${Math.floor(next() * 1000)}.ts`] = `new ${side}\n`;
    else if (path !== undefined && roll < 0.65) delete result[path];
    else if (path !== undefined && roll < 0.8) {
      result[`${pick(dirs)}/${side}-moved-${Math.floor(next() * 1000)}.ts`] = result[path] ?? "";
      delete result[path];
    } else if (roll < 0.9) {
      const from = pick(dirs) ?? "src";
      for (const old of paths.filter((candidate) => candidate.startsWith(`${from}/`))) {
        result[`${from}-${side}${old.slice(from.length)}`] = result[old] ?? "";
        delete result[old];
      }
    } else if (path !== undefined) result[path] = `#!/bin/sh\n${result[path]}`;
  }
  return result;
}

describe("pathMerge", () => {
  it("merges changes to different files as git does, without asking git", async () => {
    const base = { "src/a.ts": "a\n", "src/lib/b.ts": "b\n", "docs/c.md": "c\n", "README.md": "r\n" };
    const ours = { ...base, "src/a.ts": "a2\n", "src/new.ts": "n\n" };
    const theirs: Files = { ...base, "src/lib/b.ts": "b2\n", "test/t.ts": "t\n", "src/lib/extra.ts": "e\n" };
    delete theirs["docs/c.md"];
    const { quick, git: expected } = await compare(base, ours, theirs);
    expect(expected).not.toBeNull();
    expect(quick).toBe(expected);
  });

  it("leaves to git every path both sides changed, even identically", async () => {
    const base = { "src/a.ts": "a\n", "src/b.ts": "b\n" };
    // One side renames a, the other deletes it: git calls that a conflict, though both removed it.
    const renamed = { "src/moved.ts": "a\n", "src/b.ts": "b\n" };
    const deleted = { "src/b.ts": "b\n" };
    expect((await compare(base, renamed, deleted)).quick).toBeNull();
    const sameEdit = { "src/a.ts": "a2\n", "src/b.ts": "b\n" };
    expect((await compare(base, sameEdit, sameEdit)).quick).toBeNull();
  });

  it("leaves to git a file added under a directory the other side renamed", async () => {
    const base = { "lib/one.ts": "1\n", "lib/two.ts": "2\n", "README.md": "r\n" };
    const moved = { "core/one.ts": "1\n", "core/two.ts": "2\n", "README.md": "r\n" };
    const added = { ...base, "lib/three.ts": "3\n" };
    const { quick, git: expected } = await compare(base, moved, added);
    expect(quick).toBeNull();
    // git follows the directory rename (or calls it a conflict): anything but the naive result.
    expect(expected).not.toBe(await treeOf(await commitFiles({ ...moved, "lib/three.ts": "3\n" }, null)));
  });

  it("drops a directory both sides emptied between them", async () => {
    const base = { "dir/x": "x\n", "dir/y": "y\n", keep: "k\n" };
    const { quick, git: expected } = await compare(
      base,
      { "dir/y": "y\n", keep: "k\n" },
      { "dir/x": "x\n", keep: "k\n" },
    );
    expect(quick).toBe(expected);
    expect(await gitIn(["ls-tree", "--name-only", quick ?? ""])).toBe("keep");
  });

  it("agrees with git merge-tree on random edits wherever it answers", async () => {
    const next = seededRandom(20_261_121);
    let answered = 0;
    for (let round = 0; round < 16; round++) {
      const base: Files = {};
      for (const dir of ["src", "src/lib", "src/lib/deep", "docs", "test"]) {
        for (let index = 0; index < 3; index++) base[`${dir}/f${index}.ts`] = `${dir} ${index}\n`;
      }
      const { quick, git: expected } = await compare(
        base,
        edit(base, next, "ours"),
        edit(base, next, "theirs"),
      );
      if (quick !== null) {
        answered += 1;
        expect({ round, tree: quick }).toEqual({ round, tree: expected });
      }
    }
    // Most random pairs of small edits touch different paths.
    expect(answered).toBeGreaterThan(4);
  });
});
