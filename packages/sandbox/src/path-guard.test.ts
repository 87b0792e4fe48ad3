import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveWorkspacePath, workspaceRelativePath } from "./path-guard.js";
import { GuardError } from "./sandbox-error.js";

describe("workspaceRelativePath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//b/../a.ts", "src/a.ts"],
    ["", ""],
    [".", ""],
    ["/work/ws/src", "src"],
    ["/work/ws", ""],
  ])("maps %s to %s", (requested, expected) => {
    expect(workspaceRelativePath(requested, "/work/ws")).toBe(expected);
  });

  it.each(["..", "../x", "src/../../x", "/etc/passwd", "/work/wsx/file", "a\0b"])(
    "refuses %s",
    (requested) => {
      expect(() => workspaceRelativePath(requested, "/work/ws")).toThrow(GuardError);
    },
  );
});

describe("resolveWorkspacePath", () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "longshot-path-guard-")));
  const root = join(base, "ws");
  mkdirSync(join(root, "src"), { recursive: true });
  writeFileSync(join(root, "src/a.ts"), "a");
  writeFileSync(join(base, "secret.txt"), "secret");
  symlinkSync("../secret.txt", join(root, "leak"));
  symlinkSync(base, join(root, "up"));
  symlinkSync("src", join(root, "inner"));
  symlinkSync("/nonexistent-target", join(root, "dangling"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const options = { hostRoot: root, workdir: root };

  it("resolves existing and new paths inside, following inner symlinks", async () => {
    expect(await resolveWorkspacePath("src/a.ts", options)).toBe(join(root, "src/a.ts"));
    expect(await resolveWorkspacePath("new/deep/file.txt", options)).toBe(join(root, "new/deep/file.txt"));
    expect(await resolveWorkspacePath("inner/a.ts", options)).toBe(join(root, "src/a.ts"));
    expect(await resolveWorkspacePath("", options)).toBe(root);
  });

  it.each(["leak", "up/secret.txt", "up/new-file", "dangling", "../secret.txt"])(
    "refuses %s, which leads outside",
    async (requested) => {
      await expect(resolveWorkspacePath(requested, options)).rejects.toMatchObject({ reason: "path-escape" });
    },
  );

  it("maps absolute paths seen inside the sandbox onto the host root", async () => {
    expect(await resolveWorkspacePath("/workspace/src/a.ts", { hostRoot: root, workdir: "/workspace" })).toBe(
      join(root, "src/a.ts"),
    );
  });
});
