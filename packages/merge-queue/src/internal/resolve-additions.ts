import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Git, GitRunner } from "@longshot/git";

/**
 * Lines of `side` as `base` plus insertions: `inserted[i]` are the lines before base line i
 * (`inserted[base.length]` after the last). Null when `side` changed or removed a base line.
 */
export function insertionsOf(base: readonly string[], side: readonly string[]): string[][] | null {
  const inserted: string[][] = Array.from({ length: base.length + 1 }, () => []);
  let position = 0;
  for (const line of side) {
    if (position < base.length && line === base[position]) position += 1;
    else inserted[position]!.push(line);
  }
  return position === base.length ? inserted : null;
}

/**
 * The union of two versions of a file that both only added lines to their common base: at each
 * place, our lines then theirs (a block both added identically appears once). Null when either
 * side changed or removed a line of the base, which stays a real conflict.
 */
export function unionOfAdditions(base: string, ours: string, theirs: string): string | null {
  const split = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));
  const baseLines = split(base);
  const left = insertionsOf(baseLines, split(ours));
  const right = insertionsOf(baseLines, split(theirs));
  if (left === null || right === null) return null;
  const lines: string[] = [];
  for (let index = 0; index <= baseLines.length; index++) {
    const mine = left[index]!;
    const other = right[index]!;
    lines.push(...mine);
    if (other.join("\n") !== mine.join("\n")) lines.push(...other);
    if (index < baseLines.length) lines.push(baseLines[index]!);
  }
  const trailing = ours.endsWith("\n") || theirs.endsWith("\n") || base.endsWith("\n");
  return lines.length === 0 ? "" : `${lines.join("\n")}${trailing ? "\n" : ""}`;
}

/**
 * Resolves a conflict whose every conflicted file only gained lines on both sides (a barrel
 * of exports, a registry, a changelog): each such file becomes the union of both additions in
 * the conflicted tree. Returns the resolved tree, or null when any file needs a real resolution.
 */
export async function resolveAdditions(
  git: Git,
  runner: GitRunner,
  head: string,
  tip: string,
  conflict: { readonly files: readonly string[]; readonly tree: string },
  signal?: AbortSignal,
): Promise<string | null> {
  const options = signal === undefined ? {} : { signal };
  const base = await git.mergeBase(head, tip, options);
  if (base === null) return null;
  const merged = new Map<string, string>();
  for (const file of conflict.files) {
    const [ours, theirs, original] = await Promise.all([
      git.readFile(head, file, options),
      git.readFile(tip, file, options),
      git.readFile(base, file, options),
    ]);
    if (ours === null || theirs === null) return null;
    const union = unionOfAdditions(original ?? "", ours, theirs);
    if (union === null) return null;
    merged.set(file, union);
  }
  const dir = mkdtempSync(join(tmpdir(), "longshot-union-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  const run = async (args: readonly string[], input?: string): Promise<string> => {
    const result = await runner.run({
      args,
      cwd: git.path,
      env,
      ...(input === undefined ? {} : { input }),
      ...options,
    });
    if (result.exitCode !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr.trim()}`);
    return result.stdout.trim();
  };
  try {
    await run(["read-tree", conflict.tree]);
    for (const [file, content] of merged) {
      const blob = await run(["hash-object", "-w", "--stdin"], content);
      const listed = await run(["ls-tree", head, "--", file]);
      const mode = listed.split(/\s/)[0] || "100644";
      await run(["update-index", "--add", "--cacheinfo", `${mode},${blob},${file}`]);
    }
    return await run(["write-tree"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
