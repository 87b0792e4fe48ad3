import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { GitRepoReader } from "./git-repo-reader.js";
import { gatherPlanningContext, renderPlanningContext } from "./planning-context.js";

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const signal = new AbortController().signal;

describe("GitRepoReader and gatherPlanningContext", () => {
  it("reads SPEC.md, the files it references, key files, a bounded tree and recent commits", async () => {
    repo = await createTempRepo({
      files: {
        "README.md": "# App\n",
        "SPEC.md": `See \`docs/api.md\`, ./docs/style.md.\n${"x".repeat(100)}\n`,
        "docs/api.md": "The API has /health. See docs/deep.md.\n",
        "docs/style.md": "Two spaces.\n",
        "docs/deep.md": "Deep details.\n",
        "packages/web/package.json": '{ "name": "web" }\n',
        ".gitignore": "build/\n",
      },
    });
    await repo.commit({ "src/main.ts": "export {};\n", "build/out.js": null }, "Add main");
    const reader = new GitRepoReader(repo.path);

    const context = await gatherPlanningContext(reader, "Build per SPEC.md", signal, {
      treeEntries: 5,
      fileChars: 40,
      documents: 3,
      commits: 1,
    });

    expect(context.documents.map((file) => file.path)).toEqual(["SPEC.md", "docs/api.md", "docs/style.md"]);
    expect(context.documents[0]?.text).toBe(`See \`docs/api.md\`, ./docs/style.md.\nxxxx`);
    expect(context.keyFiles.map((file) => file.path)).toEqual(["README.md", "packages/web/package.json"]);
    expect(context.tree).toEqual({
      paths: [".gitignore", "README.md", "SPEC.md", "docs/api.md", "docs/deep.md"],
      truncated: true,
    });
    expect(context.commits.map((commit) => commit.subject)).toEqual(["Add main"]);
    const text = renderPlanningContext(context);
    expect(text).toContain("(only the first 5 files are listed)");
    expect(text).toContain("## Recent commits");
  });

  it("reads nothing outside the repository, lists untracked files, and ignores ignored ones", async () => {
    repo = await createTempRepo({ files: { ".gitignore": "secret/\n", "a.txt": "a\n" } });
    const { writeFile, mkdir } = await import("node:fs/promises");
    await writeFile(join(repo.path, "new.txt"), "untracked\n");
    await mkdir(join(repo.path, "secret"));
    await writeFile(join(repo.path, "secret", "key"), "k\n");
    await symlink("/etc/hostname", join(repo.path, "escape"));
    const reader = new GitRepoReader(repo.path);

    expect((await reader.listFiles({ limit: 10, signal })).paths).toEqual([
      ".gitignore",
      "a.txt",
      "escape",
      "new.txt",
    ]);
    expect(await reader.readFile("new.txt", { maxChars: 100, signal })).toBe("untracked\n");
    expect(await reader.readFile("../outside", { maxChars: 100, signal })).toBeUndefined();
    expect(await reader.readFile("escape", { maxChars: 100, signal })).toBeUndefined();
    expect(await reader.readFile("missing.txt", { maxChars: 100, signal })).toBeUndefined();
  });

  it("returns no commits for a repository without any", async () => {
    repo = await createTempRepo();
    await repo.git(["checkout", "--quiet", "--orphan", "empty"]);
    expect(await new GitRepoReader(repo.path).recentCommits({ limit: 5, signal })).toEqual([]);
  });
});
