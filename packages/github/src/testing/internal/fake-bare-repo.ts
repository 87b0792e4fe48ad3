import { spawn } from "node:child_process";

/** Runs git in `dir`; its trimmed output, or null when it fails. */
export function gitIn(dir: string, args: readonly string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn("git", ["-C", dir, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code === 0 ? output.trim() : null));
  });
}

/** A merge commit of `head` into `base` in the bare repository, and `base` moved to it. */
export async function mergeIn(
  bare: string,
  base: string,
  head: string,
  message: string,
): Promise<string | null> {
  const baseSha = await gitIn(bare, ["rev-parse", "--verify", "--quiet", `refs/heads/${base}`]);
  const headSha = await gitIn(bare, ["rev-parse", "--verify", "--quiet", `refs/heads/${head}`]);
  if (baseSha === null || headSha === null) return null;
  const tree = await gitIn(bare, ["merge-tree", "--write-tree", baseSha, headSha]);
  if (tree === null) return null;
  const identity = ["-c", "user.name=GitHub", "-c", "user.email=noreply@github.invalid"];
  const commit = await gitIn(bare, [
    ...identity,
    "commit-tree",
    tree.split("\n")[0]!,
    "-p",
    baseSha,
    "-p",
    headSha,
    "-m",
    message,
  ]);
  if (commit === null) return null;
  return (await gitIn(bare, ["update-ref", `refs/heads/${base}`, commit, baseSha])) === null ? null : commit;
}
