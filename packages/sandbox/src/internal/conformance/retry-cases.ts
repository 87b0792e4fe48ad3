import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import type { Sandbox } from "../../sandbox.js";
import { type ConformanceContext, expectSandboxError } from "./context.js";

const author = { name: "Conformance Bot", email: "bot@example.com" };

/** The workspace is the base commit, clean, with none of an earlier attempt's files. */
async function expectFreshStart(sandbox: Sandbox, base: string, readme: string): Promise<void> {
  const state = await sandbox.exec({
    command:
      "git rev-parse HEAD; git status --porcelain --ignored; ls attempt-*.txt 2>/dev/null; cat README.md",
  });
  expect(state.stdout, "a retry must start clean at its base commit").toBe(`${base}\n${readme}`);
}

/**
 * Retries of one task on one branch, as the engine makes them: an attempt that fails (work
 * committed inside, never exported), one whose exported work is rejected, one killed at its
 * wall timeout, then one that succeeds from a newer base. Every attempt starts clean at its
 * own base, and the branch ends at the last attempt's work only.
 */
export function retryCases(context: ConformanceContext): void {
  it("retries a task on the same branch after a failed, a rejected and a timed-out attempt", async () => {
    const repo = context.repo();
    const taskId = `t${randomBytes(4).toString("hex")}`;
    const branch = `longshot/rconformance/${taskId}`;
    const attempt = (overrides: Parameters<ConformanceContext["create"]>[0] = {}) =>
      context.create({ ...overrides, taskId });

    const failed = await attempt();
    expect(failed.branch).toBe(branch);
    await expectFreshStart(failed, repo.base, "# fixture\n");
    await failed.writeFile("attempt-1.txt", "failed work\n");
    expect(await failed.commit({ message: "Attempt 1", author })).toMatch(/^[0-9a-f]{40}$/);
    await failed.destroy();

    const rejected = await attempt();
    await expectFreshStart(rejected, repo.base, "# fixture\n");
    await rejected.writeFile("attempt-2.txt", "rejected work\n");
    const rejectedSha = await rejected.commit({ message: "Attempt 2", author });
    expect(await rejected.exportResult()).toBe(rejectedSha);
    expect(repo.git("rev-parse", `refs/heads/${branch}`)).toBe(rejectedSha);
    await rejected.destroy();

    const timedOut = await attempt({ limits: { wallTimeoutMs: 4_000 } });
    await expectFreshStart(timedOut, repo.base, "# fixture\n");
    await timedOut.writeFile("attempt-3.txt", "unfinished work\n");
    await expectSandboxError(timedOut.exec({ command: "sleep 60" }), "wall-timeout", "SandboxError");
    await timedOut.destroy();

    const landed = await attempt({ baseCommit: repo.next });
    expect(landed.baseCommit).toBe(repo.next);
    await expectFreshStart(landed, repo.next, "# fixture, next\n");
    await landed.writeFile("attempt-4.txt", "good work\n");
    const sha = await landed.commit({ message: "Attempt 4", author });
    expect(await landed.exportResult()).toBe(sha);
    await landed.destroy();

    expect(repo.git("rev-parse", `refs/heads/${branch}`)).toBe(sha);
    expect(repo.git("log", "--format=%s", `${repo.base}..${sha}`)).toBe("Attempt 4\nnext");
    const tree = repo.git("ls-tree", "-r", "--name-only", sha ?? "").split("\n");
    expect(tree.filter((path) => path.startsWith("attempt-"))).toEqual(["attempt-4.txt"]);
    expect(repo.git("rev-parse", "refs/heads/main"), "the user's branch must not move").toBe(repo.next);
  });
}
