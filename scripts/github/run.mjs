#!/usr/bin/env node
// Runs one longshot build and records what the following steps need.
//
//   node scripts/github/run.mjs --repo <path> --out-dir <dir> [--request <text>] [-- <longshot flags>]
//
// <dir> defaults to <repo>/.git/longshot/github. The request comes from --request or LONGSHOT_REQUEST (default "Build per SPEC.md"). The event
// stream (`longshot --json`) is saved to <dir>/events.ndjson and summarised on stdout; the run's
// id, status, branch and target go to <dir>/run.json and to the step outputs run-id, status,
// branch, base, exit-code. This script exits 0 whenever longshot ran, whatever its result, so
// the report and pull request steps run; a later step propagates `exit-code`.
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { env, fail, runLongshot, setOutput } from "./lib.mjs";

const { values, positionals } = parseArgs({
  options: {
    repo: { type: "string", default: process.cwd() },
    "out-dir": { type: "string" },
    request: { type: "string" },
  },
  allowPositionals: true,
});
const repo = resolve(values.repo);
const outDir = resolve(values["out-dir"] ?? join(repo, ".git", "longshot", "github"));
const request = (values.request ?? env("LONGSHOT_REQUEST") ?? "").trim() || "Build per SPEC.md";
mkdirSync(outDir, { recursive: true });

const eventsPath = join(outDir, "events.ndjson");
const events = createWriteStream(eventsPath);
const run = { runId: "", status: "", branch: "", base: "", request, exitCode: 1, events: eventsPath };
let pending = "";

function onEvent(line) {
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    console.log(line);
    return;
  }
  if (typeof event?.runId === "string" && run.runId === "") run.runId = event.runId;
  if (event?.type === "run-start") {
    run.branch = event.integrationBranch ?? "";
    run.base = event.targetBranch ?? "";
  }
  if (event?.type === "run-end") run.status = event.status ?? "";
  console.log(describe(event));
}

function describe(event) {
  const fields = ["taskId", "title", "status", "outcome", "reason", "check"]
    .filter((key) => typeof event[key] === "string" && event[key] !== "")
    .map((key) => `${key}=${JSON.stringify(event[key].slice(0, 120))}`);
  return [event.type ?? "event", ...fields].join(" ");
}

function onStdout(chunk) {
  events.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) if (line.trim() !== "") onEvent(line);
}

let exitCode;
try {
  exitCode = await runLongshot([request, "--repo", repo, "--json", ...positionals], { cwd: repo, onStdout });
} catch (error) {
  fail(error.message);
}
if (pending.trim() !== "") onEvent(pending);
await new Promise((done) => events.end(done));
run.exitCode = exitCode;
// Without a run-end event, the exit code says how it ended (0 green, 1 red, 130 interrupted).
if (run.status === "" && run.runId !== "")
  run.status = { 0: "green", 1: "red", 130: "stopped" }[exitCode] ?? "failed";
writeFileSync(join(outDir, "run.json"), `${JSON.stringify(run, null, 2)}\n`);

setOutput("run-id", run.runId);
setOutput("status", run.status);
setOutput("branch", run.branch);
setOutput("base", run.base);
setOutput("exit-code", exitCode);
setOutput("run-file", join(outDir, "run.json"));
console.log(`longshot exited ${exitCode}${run.runId ? ` (run ${run.runId}, ${run.status})` : ""}`);
