import { execFileSync } from "node:child_process";

// Fakes for other packages' tests may run git: not reported.
export const init = () => execFileSync("git", ["init"]);
