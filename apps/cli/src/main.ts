#!/usr/bin/env node
// The `longshot` binary. It stays tiny on purpose: it checks the Node version before anything
// can fail on a missing built-in (node:sqlite), starts a command that runs the orchestrator again
// with Node's memory settings for it (same process, where Node can replace its own image), turns
// on Node's compile cache so later starts skip parsing, and only then loads the command line,
// which loads each command's code lazily.
import { accessSync, constants } from "node:fs";
import module from "node:module";
import { relaunchArguments } from "./node-flags.js";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `error: longshot needs Node 22.13 or newer (this is Node ${process.versions.node}); install a newer Node and run it again.\n`,
  );
  process.exit(2);
}
const relaunch = relaunchArguments({
  argv: process.argv.slice(2),
  execArgv: process.execArgv,
  nodeOptions: process.env.NODE_OPTIONS,
  script: process.argv[1] ?? "",
});
// Node has execve from 22.15, on POSIX systems but IBM i (elsewhere it warns and throws). A failed
// execve(2) aborts the process in most Node versions, so the executable is checked first.
const platform: string = process.platform;
const execve = platform === "win32" || platform === "os400" ? undefined : process.execve;
if (relaunch !== null && execve !== undefined) {
  try {
    accessSync(process.execPath, constants.X_OK);
    execve.call(process, process.execPath, [process.execPath, ...relaunch], process.env);
  } catch {
    // Not replaced: run with Node's defaults.
  }
}
module.enableCompileCache?.();
const { runCli } = await import("./cli.js");
process.exitCode = await runCli(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
