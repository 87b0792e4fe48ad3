import { execFileSync } from "node:child_process";

// Tests may run git: not reported.
export const head = () => execFileSync("git", ["rev-parse", "HEAD"]);
