import { expect, it } from "vitest";
import { type ConformanceContext, expectSandboxError } from "./context.js";

const author = { name: "Conformance Bot", email: "bot@example.com" };

/** `moveTo`: a warm sandbox moved from commit to commit, as the reconciler's checks use it. */
export function moveCases(context: ConformanceContext): void {
  it("moves to another commit clean, keeping the kept paths, /tmp and $HOME, and commits on top of it", async () => {
    const repo = context.repo();
    const sandbox = await context.create();
    await sandbox.writeFile("ignored/cache.txt", "cached\n");
    await sandbox.writeFile("junk.txt", "junk\n");
    await sandbox.writeFile("README.md", "edited\n");
    await sandbox.exec({ command: 'echo warm > /tmp/warm.txt && echo home > "$HOME/home.txt"' });
    await sandbox.moveTo(repo.next, { keep: ["ignored"] });
    expect(sandbox.baseCommit).toBe(repo.next);
    const moved = await sandbox.exec({
      command:
        'git rev-parse HEAD; cat README.md src/c.ts ignored/cache.txt /tmp/warm.txt "$HOME/home.txt"; test -e src/nested/b.txt || echo b-gone; test -e junk.txt || echo junk-gone',
    });
    expect(moved.stdout).toBe(
      `${repo.next}\n# fixture, next\nexport const c = 3;\ncached\nwarm\nhome\nb-gone\njunk-gone\n`,
    );
    await sandbox.writeFile("src/d.ts", "export const d = 4;\n");
    const sha = await sandbox.commit({ message: "Add d", author });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await sandbox.exportResult()).toBe(sha);
    expect(repo.git("log", "-1", "--format=%P", sha!)).toBe(repo.next);
    await sandbox.moveTo(repo.base);
    const back = await sandbox.exec({
      command: "cat README.md; test -e ignored/cache.txt || echo cache-gone",
    });
    expect(back.stdout).toBe("# fixture\ncache-gone\n");
  });

  it("fails clearly when the commit cannot be checked out, leaving the sandbox usable", async () => {
    const sandbox = await context.create();
    await expectSandboxError(
      sandbox.moveTo("0123456789abcdef0123456789abcdef01234567"),
      "move-failed",
      "SandboxError",
    );
    expect((await sandbox.exec({ command: "cat README.md" })).stdout).toBe("# fixture\n");
  });
}
