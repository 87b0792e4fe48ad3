import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** Starts a Node script and resolves with its first stdout line (a URL, for servers). */
export async function startWithFirstLine(
  script: string,
  args: readonly string[],
  cwd: string,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ["ignore", "pipe", "inherit"] });
  if (child.stdout === null) throw new Error(`no stdout from ${script}`);
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`${script} exited with ${String(code)} before printing a line`);
  });
  const [line] = (await Promise.race([once(lines, "line"), exited])) as [string];
  lines.close();
  child.stdout.resume();
  return { child, line: line.trim() };
}

/** Sends SIGTERM and waits for the process to exit. */
export async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Runs a command to completion, passing its output through (prefixed) while keeping a copy.
 * Aborting the signal kills it.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; prefix: string; signal?: AbortSignal },
): Promise<CommandResult> {
  const started = performance.now();
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  let stdout = "";
  let stderr = "";
  const relay = (chunk: Buffer, sink: NodeJS.WriteStream, keep: (text: string) => void) => {
    const text = chunk.toString("utf8");
    keep(text);
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    sink.write(lines.map((line) => `${options.prefix} ${line}\n`).join(""));
  };
  child.stdout?.on("data", (chunk: Buffer) => relay(chunk, process.stdout, (text) => (stdout += text)));
  child.stderr?.on("data", (chunk: Buffer) => relay(chunk, process.stderr, (text) => (stderr += text)));
  const [code] = (await once(child, "close").catch(() => [null])) as [number | null];
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}
