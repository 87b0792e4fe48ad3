import { stat, writeFile } from "node:fs/promises";
import { AbortError } from "@longshot/core";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git } from "./git.js";
import { GitPlumbing } from "./git-plumbing.js";
import type { GitRunner, GitRunRequest, GitSessionRequest, GitStream } from "./git-runner.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** A runner that counts the long-lived gits it started and can kill the last one. */
class CountingRunner implements GitRunner {
  readonly inner = new ProcessGitRunner();
  readonly streams: GitStream[] = [];

  run(request: GitRunRequest) {
    return this.inner.run(request);
  }

  openStream(request: GitSessionRequest, onOutput: (chunk: Buffer) => void): GitStream {
    const stream = this.inner.openStream(request, onOutput);
    this.streams.push(stream);
    return stream;
  }
}

let repo: TempRepo;
let git: Git;
let runner: CountingRunner;
let plumbing: GitPlumbing;

beforeEach(async () => {
  repo = await createTempRepo({ files: { "a.txt": "a\n", "dir/b.txt": "b\n" } });
  runner = new CountingRunner();
  git = new Git(repo.path, { runner });
  const opened = await git.openPlumbing({ idleMs: 60_000 });
  if (opened === null) throw new Error("git here has no cat-file --batch-command");
  plumbing = opened;
});
afterEach(async () => {
  await plumbing.close();
  await repo.cleanup();
});

/** Commits a raw commit object (as odd as a test needs) and returns its id. */
async function rawCommit(text: string): Promise<string> {
  const file = repo.tempPath("raw-commit");
  await writeFile(file, text);
  return repo.git(["hash-object", "-t", "commit", "-w", "--literally", file]);
}

describe("GitPlumbing.readCommit", () => {
  it("reads commits exactly as git log shows them, odd ones included", async () => {
    const tree = await repo.git(["rev-parse", "HEAD^{tree}"]);
    const shas = [
      repo.initial,
      await repo.commit({ "c.txt": "c\n" }, "Subject line\n\nBody with\n\ntrailers\n\nLongshot-Task: t1\n"),
      await rawCommit(
        `tree ${tree}\nparent ${repo.initial}\nauthor  Spaced  Name   <odd@x> 1700000000 -0130\ncommitter C <c@x> 1700000000 +0000\n\n\n  \nFirst line  \nsecond\t\n\nbody\n\n`,
      ),
      await rawCommit(
        `tree ${tree}\nparent ${repo.initial}\nparent ${repo.initial}\nauthor Ünï Cödé <u@x> 1 +1400\ncommitter C <c@x> 1700000000 -0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n line two\n -----END PGP SIGNATURE-----\n\nmerge ✓`,
      ),
      await rawCommit(
        `tree ${tree}\nauthor A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\n\n`,
      ),
    ];
    for (const sha of shas) {
      expect(await plumbing.readCommit(sha)).toEqual(await git.showCommit(sha));
    }
    expect(await plumbing.readCommit("refs/heads/main")).toEqual(await git.showCommit("main"));
    expect(await plumbing.readCommit("no-such-ref")).toBeNull();
    expect(await plumbing.readCommit(`${repo.initial}^{tree}`)).toBeNull();
  });
});

describe("GitPlumbing.resolve and readObject", () => {
  it("sees refs another process moves, and answers null for names that name nothing", async () => {
    expect(await plumbing.resolve("refs/heads/main")).toBe(repo.initial);
    const next = await repo.commit({ "a.txt": "changed\n" }, "change a");
    expect(await plumbing.resolve("refs/heads/main")).toBe(next);
    await repo.git(["pack-refs", "--all"]);
    await repo.git(["branch", "other", repo.initial]);
    expect(await plumbing.resolve("refs/heads/other")).toBe(repo.initial);
    expect(await plumbing.resolve("refs/heads/missing")).toBeNull();
    expect(await plumbing.resolve("HEAD:a.txt")).toBe(await git.revParse("HEAD:a.txt"));
    // Like rev-parse --verify: a full id is taken as it is.
    expect(await plumbing.resolve("0".repeat(40))).toBe("0".repeat(40));
    expect(runner.streams).toHaveLength(1);
  });

  it("reads binary content byte for byte", async () => {
    const bytes = Buffer.from([0, 10, 255, 10, 10, 13, 0, 1]);
    await writeFile(repo.tempPath("binary"), bytes);
    const sha = await repo.git(["hash-object", "-w", repo.tempPath("binary")]);
    const [object, missing] = await Promise.all([plumbing.readObject(sha), plumbing.readObject("main:nope")]);
    expect(object).toEqual({ sha, type: "blob", content: bytes });
    expect(missing).toBeNull();
  });
});

describe("GitPlumbing trees", () => {
  it("reads trees as ls-tree lists them and writes the same trees mktree writes", async () => {
    const entries = await plumbing.readTree("HEAD");
    const listed = await repo.git(["ls-tree", "HEAD"]);
    expect(
      entries?.map((entry) => `${entry.mode.padStart(6, "0")} ${entry.type} ${entry.sha}\t${entry.name}`),
    ).toEqual(listed.split("\n"));
    expect(await plumbing.writeTree([...(entries ?? [])].reverse())).toBe(
      await repo.git(["rev-parse", "HEAD^{tree}"]),
    );
    const blob = entries?.find((entry) => entry.name === "a.txt")?.sha ?? "";
    const odd = [
      { mode: "100755", type: "blob" as const, sha: blob, name: "with space é" },
      { mode: "120000", type: "blob" as const, sha: blob, name: "link" },
    ];
    const expected = await repo.git(
      ["mktree"],
      `100755 blob ${blob}\twith space é\n120000 blob ${blob}\tlink\n`,
    );
    expect(await plumbing.writeTree(odd)).toBe(expected);
    // What it wrote it reads back as git stores it (modes, order), as a fresh reader would.
    const tree = { mode: "040000", type: "tree" as const, sha: expected, name: "a" };
    const nested = await plumbing.writeTree([
      tree,
      { ...odd[0]!, name: "a.txt" },
      { ...odd[0]!, name: "a-b" },
    ]);
    const fresh = await git.openPlumbing();
    expect(await plumbing.readTree(nested)).toEqual(await fresh?.readTree(nested));
    await fresh?.close();
    expect(await plumbing.readTree("no-such-ref")).toBeNull();
    // Objects written here are objects git accepts.
    expect((await repo.tryGit(["fsck", "--strict", "--no-dangling"])).exitCode).toBe(0);
    await expect(plumbing.writeTree([odd[0]!, odd[0]!])).rejects.toThrow(/not a tree entry name/);
  });

  it("leaves the writing to git where git writes objects its own way (shared permissions)", async () => {
    await repo.git(["config", "core.sharedRepository", "0600"]);
    const shared = await git.openPlumbing();
    const blob = await repo.git(["rev-parse", "HEAD:a.txt"]);
    const sha = await shared?.writeTree([{ mode: "100644", type: "blob", sha: blob, name: "only-here" }]);
    expect(sha).toBe(await repo.git(["mktree"], `100644 blob ${blob}\tonly-here\n`));
    const mode = (await stat(`${repo.path}/.git/objects/${sha?.slice(0, 2)}/${sha?.slice(2)}`)).mode & 0o777;
    expect(mode).toBe(0o400);
    await shared?.close();
  });

  it("orders entries by their UTF-8 bytes as git does, where JavaScript's string order differs", async () => {
    const blob = await repo.git(["rev-parse", "HEAD:a.txt"]);
    const tree = await repo.git(["rev-parse", "HEAD:dir"]);
    // U+FF21 sorts after U+1F600 in UTF-16 but before it in UTF-8; "a" is a directory (as "a/").
    const names = ["\u{1F600}.txt", "\uFF21.txt", "a-b", "a.txt", "Z"];
    const entries = [
      ...names.map((name) => ({ mode: "100644", type: "blob" as const, sha: blob, name })),
      { mode: "040000", type: "tree" as const, sha: tree, name: "a" },
    ];
    const listing = entries
      .map((entry) => `${entry.mode} ${entry.type} ${entry.sha}\t${entry.name}\n`)
      .join("");
    const expected = await repo.git(["mktree"], listing);
    expect(await plumbing.writeTree(entries)).toBe(expected);
    expect((await plumbing.readTree(expected))?.map((entry) => entry.name)).toEqual(
      (await repo.git(["ls-tree", "--name-only", "-z", expected])).split("\0").filter(Boolean),
    );
  });

  it("refuses a tree whose entry name is not UTF-8 rather than write it back changed", async () => {
    const blob = await repo.git(["rev-parse", "HEAD:a.txt"]);
    const raw = Buffer.concat([Buffer.from("100644 caf\xe9.txt\0", "latin1"), Buffer.from(blob, "hex")]);
    const file = repo.tempPath("raw-tree");
    await writeFile(file, raw);
    const sha = await repo.git(["hash-object", "-t", "tree", "-w", "--literally", file]);
    await expect(plumbing.readTree(sha)).rejects.toThrow(
      /cannot be read here: a tree entry name is not UTF-8/,
    );
  });

  it("answers every tree right when it keeps only a few of them parsed", async () => {
    const small = new GitPlumbing({
      runner,
      cwd: repo.path,
      capabilities: (await git.version()).capabilities,
      treeCacheEntries: 8,
    });
    const blob = await repo.git(["rev-parse", "HEAD:a.txt"]);
    const written: { sha: string; names: string[] }[] = [];
    for (let index = 0; index < 12; index++) {
      const names = [`f${index}.txt`, `g${index}.txt`, "shared.txt"];
      const sha = await small.writeTree(
        names.map((name) => ({ mode: "100644", type: "blob", sha: blob, name })),
      );
      written.push({ sha, names });
    }
    // The first trees were dropped to make room: they are read again from the object store.
    for (const { sha, names } of written) {
      expect((await small.readTree(sha))?.map((entry) => entry.name)).toEqual(names);
      expect(await small.readTree(sha)).toEqual(await plumbing.readTree(sha));
    }
    await small.close();
  });
});

describe("GitPlumbing.writeCommit and packed objects", () => {
  it("writes the commits commit-tree writes, and reads objects git has packed", async () => {
    const tree = await repo.git(["rev-parse", "HEAD^{tree}"]);
    const date = new Date("2024-03-01T10:00:00Z");
    const author = { name: "Task <Worker>", email: "worker@longshot.invalid" };
    const committer = { name: "Bot", email: "bot@x" };
    const message = "squash: ünïcode subject\n\nbody\n\nLongshot-Task: t0001\n";
    const sha = await plumbing.writeCommit({
      tree,
      parents: [repo.initial],
      message,
      author,
      committer,
      date,
    });
    expect(sha).toBe(await git.commitTree(tree, [repo.initial], message, author, { committer, date }));
    await expect(plumbing.writeCommit({ tree: "HEAD", parents: [], message, author, date })).rejects.toThrow(
      /not an object id/,
    );
    // Everything packed, loose copies gone: reads go to git and answer the same.
    const before = await plumbing.readCommit(sha ?? "");
    await repo.git(["update-ref", "refs/heads/keep", sha ?? ""]);
    await repo.git(["gc", "--quiet", "--prune=now"]);
    const fresh = await git.openPlumbing();
    expect(await fresh?.readCommit(sha ?? "")).toEqual(before);
    expect((await fresh?.readTree(tree))?.map((entry) => entry.name)).toEqual(["a.txt", "dir"]);
    await fresh?.close();
  });
});

describe("GitPlumbing.updateRef", () => {
  it("moves a ref only from the value expected, and reports who won a lost race", async () => {
    const next = await repo.commit({ "x.txt": "x\n" }, "x");
    expect(await plumbing.updateRef("refs/heads/new", repo.initial, null)).toEqual({ ok: true });
    expect(await repo.sha("refs/heads/new")).toBe(repo.initial);
    expect(await plumbing.updateRef("refs/heads/new", next, repo.initial, { message: "queue" })).toEqual({
      ok: true,
    });
    // Someone else moves it; our stale compare-and-swap loses and leaves their value.
    await repo.git(["update-ref", "refs/heads/new", repo.initial]);
    expect(await plumbing.updateRef("refs/heads/new", next, next)).toEqual({
      ok: false,
      actual: repo.initial,
    });
    expect(await plumbing.updateRef("refs/heads/brand-new", next, repo.initial)).toEqual({
      ok: false,
      actual: null,
    });
    expect(await repo.sha("refs/heads/new")).toBe(repo.initial);
    // The session git ended with the lost race; the next update starts another and succeeds.
    expect(await plumbing.updateRef("refs/heads/new", next, repo.initial)).toEqual({ ok: true });
    expect(await repo.git(["reflog", "-1", "--format=%gs", "refs/heads/new"])).toBe("longshot");
  });

  it("refuses a ref outside refs/", async () => {
    await expect(plumbing.updateRef("main", repo.initial, null)).rejects.toThrow(/full ref name/);
  });
});

describe("GitPlumbing lifetime", () => {
  it("restarts a git that died, closes idle ones, and lets a cancelled caller go", async () => {
    expect(await plumbing.resolve("main")).toBe(repo.initial);
    runner.streams[0]?.kill();
    await runner.streams[0]?.exited;
    expect(await plumbing.resolve("main")).toBe(repo.initial);
    expect(runner.streams).toHaveLength(2);

    const quick = await git.openPlumbing({ idleMs: 1 });
    expect(await quick?.resolve("main")).toBe(repo.initial);
    const exit = await runner.streams[2]?.exited;
    expect(exit?.exitCode).toBe(0);
    expect(await quick?.resolve("main")).toBe(repo.initial);
    expect(runner.streams).toHaveLength(4);
    await quick?.close();

    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(plumbing.resolve("main", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(plumbing.readObject("a\nb")).rejects.toThrow(/cannot be asked/);
  });
});
