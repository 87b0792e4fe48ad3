import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testGit } from "./conformance/provider-testbed.js";
import { checkoutBytes, diskBytesUnder, WorkspaceQuota } from "./workspace-quota.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "longshot-quota-"));
  dirs.push(dir);
  writeFileSync(join(dir, "checked-out.txt"), "x".repeat(100_000));
  return dir;
}

const mb = 1_048_576;

describe("WorkspaceQuota", () => {
  it("allows growth up to the quota over what the workspace held at checkout, and says by how much it is over", async () => {
    const dir = workspace();
    let fsUsed = 10 * mb;
    const quota = new WorkspaceQuota(dir, 2 * mb, async () => fsUsed);
    await quota.ready();
    writeFileSync(join(dir, "a.bin"), Buffer.alloc(mb, 1));
    fsUsed += mb;
    expect(await quota.check()).toBeNull();
    writeFileSync(join(dir, "b.bin"), Buffer.alloc(2 * mb, 1));
    fsUsed += 10 * mb;
    expect(await quota.check()).toMatch(
      /^Longshot stopped this: the workspace grew by 3 MB, over its 2 MB disk quota/,
    );
    // Still over while nothing was deleted, though the file system did not grow since.
    expect(await quota.check()).not.toBeNull();
    rmSync(join(dir, "b.bin"));
    expect(await quota.check()).toBeNull();
  });

  it("walks the workspace only when the file system grew by more than the headroom left", async () => {
    const dir = workspace();
    const quota = new WorkspaceQuota(dir, 2 * mb, async () => 10 * mb);
    await quota.ready();
    expect(await quota.check()).toBeNull();
    // Written without the file system seeming to grow (another sandbox freed as much): not walked.
    writeFileSync(join(dir, "c.bin"), Buffer.alloc(3 * mb, 1));
    expect(await quota.check()).toBeNull();
  });

  it("measures from the new checkout after a rebase", async () => {
    const dir = workspace();
    let fsUsed = 10 * mb;
    const quota = new WorkspaceQuota(dir, 2 * mb, async () => fsUsed);
    await quota.ready();
    writeFileSync(join(dir, "kept.bin"), Buffer.alloc(3 * mb, 1));
    fsUsed += 20 * mb;
    expect(await quota.check()).not.toBeNull();
    quota.rebase();
    expect(await quota.check()).toBeNull();
  });

  it("counts what files hold on disk: a sparse file by its blocks, a hard link once", async () => {
    const dir = workspace();
    const before = await diskBytesUnder(dir);
    writeFileSync(join(dir, "sparse.bin"), "");
    truncateSync(join(dir, "sparse.bin"), 100 * mb);
    writeFileSync(join(dir, "real.bin"), Buffer.alloc(mb, 1));
    linkSync(join(dir, "real.bin"), join(dir, "link.bin"));
    const grown = (await diskBytesUnder(dir)) - before;
    expect(grown).toBeGreaterThanOrEqual(mb);
    expect(grown).toBeLessThan(2 * mb);
  });

  it("asks for the size at checkout only once the file system grew past the headroom, and measures growth from it", async () => {
    const dir = workspace();
    let fsUsed = 10 * mb;
    let asked = 0;
    const checkedOut = async () => {
      asked += 1;
      return diskBytesUnder(dir);
    };
    // Measured before anything is written, as the tree would say; asked for later.
    const atCheckout = await diskBytesUnder(dir);
    const quota = new WorkspaceQuota(
      dir,
      2 * mb,
      async () => fsUsed,
      async () => {
        await checkedOut();
        return atCheckout;
      },
    );
    await quota.ready();
    writeFileSync(join(dir, "small.bin"), Buffer.alloc(mb, 1));
    fsUsed += mb;
    expect(await quota.check()).toBeNull();
    expect(asked).toBe(0);
    writeFileSync(join(dir, "big.bin"), Buffer.alloc(2 * mb, 1));
    fsUsed += 10 * mb;
    expect(await quota.check()).toMatch(/grew by 3 MB, over its 2 MB disk quota/);
    expect(asked).toBe(1);
  });
});

describe("checkoutBytes", () => {
  it("comes within a few blocks of walking a fresh checkout of the tree", async () => {
    const parent = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    const dir = mkdtempSync(join(parent, "longshot-checkout-bytes-"));
    dirs.push(dir);
    const repo = join(dir, "repo");
    const git = (...args: string[]) => `${testGit(repo)(...args)}\n`;
    mkdirSync(join(repo, "src", "deep", "er"), { recursive: true });
    git("init", "-q");
    for (let index = 0; index < 40; index++) {
      writeFileSync(join(repo, "src", `m${index}.ts`), "x".repeat(index * 700));
      writeFileSync(join(repo, "src", "deep", "er", `d${index}.txt`), "y".repeat(9_000 + index));
    }
    writeFileSync(join(repo, "empty.txt"), "");
    git("add", "-A");
    git("commit", "-qm", "tree");
    const worktree = join(dir, "worktree");
    git("worktree", "add", "-q", "--detach", worktree, "HEAD");
    const walked = await diskBytesUnder(worktree);
    const estimated = await checkoutBytes(worktree, git("ls-tree", "-r", "-l", "-z", "HEAD"));
    expect(Math.abs(walked - estimated)).toBeLessThanOrEqual(4 * 4096);
    expect(estimated).toBeGreaterThan(40 * 9_000);
  });
});
