// Runs the interview on this process's terminal, for the tmux test:
//   node --import ./resolve-ts.mjs spec-bin.ts <repoDir> <resultFile>
import { writeFileSync } from "node:fs";
import { runSpecInterview } from "../run-spec-interview.js";

const [repoDir, resultFile] = process.argv.slice(2);
if (repoDir === undefined || resultFile === undefined) throw new Error("usage: spec-bin <repoDir> <resultFile>");
const result = await runSpecInterview({
  input: process.stdin,
  output: process.stdout,
  repoDir,
  isTty: process.stdin.isTTY === true,
  signal: new AbortController().signal,
});
writeFileSync(resultFile, JSON.stringify(result));
