import { execFile } from "node:child_process";

// Listed as pending in the self-test: not reported.
export const log = () => execFile("git", ["log"]);
