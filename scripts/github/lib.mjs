// Shared helpers of the GitHub scripts: arguments, step outputs, the step summary, and how to
// start longshot. The scripts run the same way inside and outside GitHub Actions: without
// GITHUB_OUTPUT or GITHUB_STEP_SUMMARY they print what they would have written.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** An environment variable (these scripts are configured by the workflow's environment). */
export function env(name) {
  return process.env[name];
}

const here = dirname(fileURLToPath(import.meta.url));
/**
 * In the published package these scripts are bundled into `github/`, beside the CLI's `dist/`;
 * in a checkout they are `scripts/github/` and use the checkout's build.
 */
const packaged = existsSync(join(here, "..", "dist", "main.js"));

/** The longshot checkout (or installed package) these scripts belong to. */
export const longshotRoot = packaged ? resolve(here, "..") : resolve(here, "..", "..");

/** Loads @longshot/github: bundled in the package, else from this checkout's build. */
export async function loadGitHub() {
  if (packaged) return import("@longshot/github");
  const entry = join(longshotRoot, "packages", "github", "dist", "index.js");
  if (!existsSync(entry)) fail(`${entry} is missing; build longshot first (pnpm install && pnpm build).`, 2);
  return import(entry);
}

/** The command that starts longshot: LONGSHOT_BIN when set, else this checkout's built CLI. */
export function longshotCommand() {
  const bin = env("LONGSHOT_BIN")?.trim();
  if (bin) return { command: bin, prefix: [] };
  const main = packaged
    ? join(longshotRoot, "dist", "main.js")
    : join(longshotRoot, "apps", "cli", "dist", "main.js");
  if (!existsSync(main)) fail(`${main} is missing; build longshot first (pnpm install && pnpm build).`, 2);
  return { command: process.execPath, prefix: [main] };
}

/**
 * Runs longshot with `args`; resolves with its exit code. Its stderr goes to ours; stdout goes
 * to `onStdout` (or ours). SIGINT and SIGTERM are passed on so a cancelled job stops the run
 * gracefully.
 */
export function runLongshot(args, { cwd, onStdout } = {}) {
  const { command, prefix } = longshotCommand();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...prefix, ...args], {
      cwd,
      stdio: ["ignore", onStdout ? "pipe" : "inherit", "inherit"],
    });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    if (onStdout) child.stdout.on("data", onStdout);
    child.on("error", (error) =>
      reject(new Error(`Could not start longshot (${command}): ${error.message}`)),
    );
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolvePromise(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}

/** Sets a step output (printed when not in Actions). */
export function setOutput(name, value) {
  const text = String(value ?? "");
  const file = env("GITHUB_OUTPUT");
  if (!file) {
    console.log(`${name}=${text}`);
    return;
  }
  const delimiter = `longshot_${Math.random().toString(36).slice(2)}`;
  appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
}

/** Appends Markdown to the job summary (printed when not in Actions). */
export function appendSummary(markdown) {
  const file = env("GITHUB_STEP_SUMMARY");
  if (!file) {
    console.log(markdown);
    return;
  }
  appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}

/** Writes a workflow annotation (a plain line outside Actions). */
export function annotate(level, message) {
  const line = message.replace(/\r?\n/g, " ");
  console.log(env("GITHUB_ACTIONS") === "true" ? `::${level}::${line}` : `${level}: ${line}`);
}

/**
 * The flags of a step that follows run.mjs: `--repo` (default: the working directory) and
 * `--run-file` (run.mjs's run.json) besides `options` (node:util parseArgs options). Returns the
 * flags, the repository's absolute path and what run.mjs recorded ({} without a run file).
 */
export function stepArgs(options) {
  const { values } = parseArgs({
    options: { repo: { type: "string", default: process.cwd() }, "run-file": { type: "string" }, ...options },
  });
  return { values, repo: resolve(values.repo), recorded: readRunFile(values["run-file"]) };
}

/** What run.mjs recorded about the run (run.json), or {} when the file is missing. */
export function readRunFile(path) {
  if (!path || !existsSync(path)) return {};
  const parsed = JSON.parse(readFileSync(path, "utf8"));
  return typeof parsed === "object" && parsed !== null ? parsed : {};
}

/** Prints one clear sentence and exits. */
export function fail(message, code = 1) {
  console.error(`longshot-github: ${message}`);
  process.exit(code);
}

/** The exit code an error asks for (longshot's errors carry one), 1 otherwise. */
export function exitCodeOf(error) {
  return typeof error?.exitCode === "number" ? error.exitCode : 1;
}
