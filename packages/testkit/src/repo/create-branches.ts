import { runGit, testIdentity } from "./run-git.js";
import type { FileChanges } from "./write-and-commit.js";

/** A branch to create: its commits, in order, on top of `from` (a sha or ref). */
export interface BranchSpec {
  readonly name: string;
  readonly from: string;
  readonly commits: readonly { readonly files: FileChanges; readonly message: string }[];
}

/**
 * Creates many branches at once with `git fast-import`, without touching any working tree or
 * index: hundreds of branches take one git process. Branches must not exist yet. Commits use
 * the test identity and a fixed date, so the same specs always give the same shas. Returns each
 * branch's tip sha by branch name.
 */
export async function createBranches(
  repoPath: string,
  specs: readonly BranchSpec[],
): Promise<Map<string, string>> {
  const chunks: string[] = [];
  let time = 1_700_000_000;
  for (const spec of specs) {
    spec.commits.forEach((commit, index) => {
      chunks.push(`commit refs/heads/${spec.name}\n`);
      chunks.push(`committer ${testIdentity.name} <${testIdentity.email}> ${time++} +0000\n`);
      chunks.push(data(commit.message));
      if (index === 0) chunks.push(`from ${spec.from}\n`);
      for (const [path, content] of Object.entries(commit.files)) {
        if (content === null) chunks.push(`D ${quotePath(path)}\n`);
        else chunks.push(`M 100644 inline ${quotePath(path)}\n${data(content)}`);
      }
      chunks.push("\n");
    });
  }
  chunks.push("done\n");
  await runGit(repoPath, ["fast-import", "--quiet", "--done"], chunks.join(""));
  const tips = new Map<string, string>();
  if (specs.length === 0) return tips;
  const listing = await runGit(repoPath, [
    "for-each-ref",
    "--format=%(refname:short) %(objectname)",
    "refs/heads/",
  ]);
  const wanted = new Set(specs.map((spec) => spec.name));
  for (const line of listing.split("\n")) {
    const [name = "", sha = ""] = line.split(" ");
    if (wanted.has(name)) tips.set(name, sha);
  }
  return tips;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

function quotePath(path: string): string {
  return /["\\\n\s]/.test(path) ? JSON.stringify(path) : path;
}
