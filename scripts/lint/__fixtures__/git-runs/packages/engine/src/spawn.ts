import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const a = () => execFile("git", ["rev-list", "HEAD"]); // planted
export const b = () => spawn(`git`, ["ls-tree", "HEAD"]); // planted
export const c = () => run("git", ["status"]); // planted
export const d = (runner: { run(request: unknown): unknown }) =>
  runner.run({ args: ["merge-recursive", "a", "--", "HEAD", "b"], cwd: "." }); // planted
export const e = (options: { runner: { run(request: unknown): unknown } }, args: string[]) =>
  options.runner.run({ args, cwd: "." }); // planted
// Not git: not reported.
export const f = () => execFile("node", ["--version"]);
export const g = (harness: { run(request: unknown): unknown }) => harness.run({ prompt: "git" });
