import { expect, it } from "vitest";
import { type ConformanceContext, expectSandboxError } from "./context.js";

/** read/write/list/search and the path guard. */
export function fileCases(context: ConformanceContext): void {
  it("writes and reads files that commands see, and reads line ranges", async () => {
    const sandbox = await context.create();
    await sandbox.writeFile("new/dir/file.txt", "hello\n");
    expect(await sandbox.readFile("new/dir/file.txt")).toBe("hello\n");
    expect((await sandbox.exec({ command: "cat new/dir/file.txt" })).stdout).toBe("hello\n");
    await sandbox.exec({ command: "printf 'from exec' > made.txt" });
    expect(await sandbox.readFile("made.txt")).toBe("from exec");
    await sandbox.writeFile("bytes.bin", new Uint8Array([104, 105]));
    expect(await sandbox.readFile("bytes.bin")).toBe("hi");
    expect(await sandbox.readFile("lines.txt", { startLine: 3, endLine: 5 })).toBe(
      "line 3\nline 4\nline 5\n",
    );
    expect(await sandbox.readFile("lines.txt", { startLine: 9 })).toBe("line 9\nline 10\n");
    expect(await sandbox.readFile("lines.txt", { endLine: 1 })).toBe("line 1\n");
    expect(await sandbox.readFile("lines.txt", { startLine: 50 })).toBe("");
    expect(await sandbox.readFile(`${sandbox.workdir}/README.md`)).toBe("# fixture\n");
    await expectSandboxError(sandbox.readFile("missing.txt"), "not-found", "SandboxError");
    await expectSandboxError(sandbox.readFile("src"), "not-a-file", "SandboxError");
  });

  it("lists directories sorted, and whole trees without .git and ignored files", async () => {
    const sandbox = await context.create();
    await sandbox.writeFile("ignored/x.txt", "x");
    await sandbox.writeFile("debug.log", "x");
    await sandbox.writeFile("src/new.ts", "x");
    const root = await sandbox.listFiles();
    expect(root.truncated).toBe(false);
    expect(root.entries.map((entry) => entry.path)).not.toContain(".git");
    expect(root.entries).toContainEqual({ path: "src", type: "directory" });
    expect(root.entries).toContainEqual({ path: "README.md", type: "file" });
    const paths = root.entries.map((entry) => entry.path);
    expect(paths).toEqual([...paths].sort());
    const src = await sandbox.listFiles("src", { recursive: true });
    expect(src.entries).toEqual([
      { path: "src/a.ts", type: "file" },
      { path: "src/nested/b.txt", type: "file" },
      { path: "src/new.ts", type: "file" },
    ]);
    const all = (await sandbox.listFiles("", { recursive: true })).entries.map((entry) => entry.path);
    expect(all).toContain("src/new.ts");
    expect(all).toContain(".gitignore");
    expect(all).not.toContain("debug.log");
    expect(all.some((path) => path.startsWith("ignored/") || path.startsWith(".git/"))).toBe(false);
    const limited = await sandbox.listFiles("", { recursive: true, limit: 2 });
    expect(limited.entries).toHaveLength(2);
    expect(limited.truncated).toBe(true);
    await expectSandboxError(sandbox.listFiles("nope"), "not-found", "SandboxError");
  });

  it("searches contents by regular expression, path, glob and result limit", async () => {
    const sandbox = await context.create();
    await sandbox.writeFile("ignored/hidden.txt", "needle ignored\n");
    await sandbox.writeFile("notes.md", "first\nneedle (in) notes\n");
    const all = await sandbox.search("needle");
    expect(all.truncated).toBe(false);
    expect(all.matches).toEqual([
      { file: "notes.md", line: 2, text: "needle (in) notes" },
      { file: "src/nested/b.txt", line: 1, text: "needle in b" },
    ]);
    expect((await sandbox.search("export const \\w+ = \\d", { path: "src" })).matches).toEqual([
      { file: "src/a.ts", line: 1, text: "export const a = 1;" },
    ]);
    expect((await sandbox.search("needle", { glob: "*.txt" })).matches.map((match) => match.file)).toEqual([
      "src/nested/b.txt",
    ]);
    expect((await sandbox.search("NEEDLE", { ignoreCase: true, path: "notes.md" })).matches).toHaveLength(1);
    expect((await sandbox.search("(in)", { literal: true })).matches.map((match) => match.file)).toEqual([
      "notes.md",
    ]);
    const limited = await sandbox.search("needle", { maxResults: 1 });
    expect(limited.matches).toHaveLength(1);
    expect(limited.truncated).toBe(true);
    expect((await sandbox.search("no such text anywhere")).matches).toEqual([]);
    await expectSandboxError(sandbox.search("(unclosed"), "bad-pattern", "SandboxError");
  });

  it("refuses paths outside the workspace: .., absolute and through symlinks", async () => {
    const sandbox = await context.create();
    const linked = await sandbox.exec({
      command: "ln -s / rootlink && ln -s .. uplink && ln -s /nonexistent-x dangling",
    });
    expect(linked.exitCode).toBe(0);
    const escapes = [
      "../outside.txt",
      "src/../../outside.txt",
      "/etc/passwd",
      "rootlink/etc/passwd",
      "uplink/x.txt",
    ];
    for (const path of escapes) {
      await expectSandboxError(sandbox.readFile(path), "path-escape", "GuardError");
      await expectSandboxError(sandbox.writeFile(path, "escaped"), "path-escape", "GuardError");
      await expectSandboxError(sandbox.listFiles(path), "path-escape", "GuardError");
      await expectSandboxError(sandbox.search("root", { path }), "path-escape", "GuardError");
      await expectSandboxError(sandbox.exec({ command: "true", cwd: path }), "path-escape", "GuardError");
    }
    await expectSandboxError(sandbox.writeFile("dangling", "escaped"), "path-escape", "GuardError");
    await expectSandboxError(sandbox.writeFile("rootlink/tmp/escaped.txt", "x"), "path-escape", "GuardError");
    const error = await expectSandboxError(sandbox.readFile("../outside.txt"), "path-escape", "GuardError");
    expect(error.message).toContain("outside the workspace");
  });
}
