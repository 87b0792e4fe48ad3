import { execFile } from "node:child_process";

// The git package runs git: not reported.
export const version = () => execFile("git", ["--version"]);
