import {
  AbortError,
  type Clock,
  type EmitEvent,
  throwIfAborted,
  type Usage,
  zeroUsage,
} from "@longshot/core";
import { type CommitAuthor, type Sandbox, SandboxError } from "@longshot/sandbox";
import type { AttemptResult, Harness, HarnessName, HarnessRunInput } from "../harness.js";
import { AttemptWatchdog } from "../internal/attempt-watchdog.js";
import { cliPrompt } from "../internal/prompts.js";
import { addUsage } from "../internal/usage-total.js";
import type { CheckCommand } from "../tools/command-tools.js";
import type { CliAdapter, CliEndpoint } from "./cli-adapter.js";
import type { CliEvent } from "./cli-event.js";
import { judgeCliAttempt } from "./judge-cli-attempt.js";
import { LineSplitter } from "./line-splitter.js";

/** What a CLI harness shares across attempts. */
export interface CliHarnessOptions {
  /** The endpoint and key given to the CLI (and to no other process). */
  readonly endpoint: CliEndpoint;
  /** How to start the CLI inside the sandbox; the adapter's default (`codex`, `pi`, …) otherwise. */
  readonly command?: readonly string[];
  /** Extra environment for the CLI process, such as a PATH that holds `node`. */
  readonly env?: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly author: CommitAuthor;
  /** The project's checks; the attempt is judged by them and by the diff, not the exit code. */
  readonly checks: readonly CheckCommand[];
}

/**
 * An external coding CLI as a {@link Harness}. It runs inside the task's sandbox (which needs
 * network to reach the endpoint) with stdin closed, its own state directory under the sandbox's
 * HOME, endpoint and model written into its own config, and a hard timeout that kills its whole
 * process tree. Its JSONL becomes `agent-text`, `tool-call-*` and `log` events. The exit code
 * proves nothing: the outcome comes from the diff and the checks.
 */
export class CliHarness implements Harness {
  readonly name: Exclude<HarnessName, "builtin">;
  readonly #adapter: CliAdapter;
  readonly #options: CliHarnessOptions;

  constructor(adapter: CliAdapter, options: CliHarnessOptions) {
    this.name = adapter.name;
    this.#adapter = adapter;
    this.#options = options;
  }

  async run(input: HarnessRunInput): Promise<AttemptResult> {
    throwIfAborted(input.signal);
    const stateDir = await prepareStateDir(input.sandbox, this.#adapter.name, input.attempt, input.signal);
    const plan = this.#adapter.plan({
      command: this.#options.command ?? this.#adapter.defaultCommand,
      prompt: cliPrompt(input.task, input.feedback),
      model: input.model,
      stateDir,
      workdir: input.sandbox.workdir,
      endpoint: this.#options.endpoint,
      maxTurns: input.limits.maxTurns,
    });
    for (const file of plan.files) await writeStateFile(input.sandbox, stateDir, file, input.signal);
    const watchdog = new AttemptWatchdog(this.#options.clock, input.limits, input.signal);
    const stream = new CliStream(input, this.#options.clock);
    const parser = this.#adapter.createParser();
    const lines = new LineSplitter((line) => stream.handle(parser.parseLine(line)));
    let exit: { exitCode: number; timedOut: boolean } | null = null;
    try {
      exit = await input.sandbox.exec({
        argv: ["sh", "-c", 'exec "$@" </dev/null', "sh", ...plan.argv],
        env: { ...this.#options.env, ...plan.env },
        timeoutMs: input.limits.wallTimeMs,
        signal: watchdog.signal,
        maxOutputBytes: 65_536,
        onStdout: (chunk) => {
          watchdog.touch();
          lines.push(chunk);
        },
        onStderr: () => watchdog.touch(),
      });
      lines.end();
    } catch (error) {
      if (watchdog.reason === null && !(error instanceof AbortError)) throw error;
    } finally {
      watchdog.stop();
      await removeStateDir(input.sandbox, stateDir).catch(() => undefined);
    }
    const stop = watchdog.reason ?? (exit?.timedOut ? "timeout" : null);
    return judgeCliAttempt({
      input,
      harness: this.name,
      author: this.#options.author,
      checks: this.#options.checks,
      stop,
      exitCode: exit?.exitCode ?? null,
      usage: stream.usage,
      turns: stream.turns,
      lastText: stream.lastText,
      errors: stream.errors,
    });
  }
}

/** Turns parsed CLI events into Longshot events and running totals. */
class CliStream {
  usage: Usage = zeroUsage;
  turns = 0;
  lastText = "";
  readonly errors: string[] = [];
  readonly #input: HarnessRunInput;
  readonly #clock: Clock;
  readonly #started = new Map<string, number>();

  constructor(input: HarnessRunInput, clock: Clock) {
    this.#input = input;
    this.#clock = clock;
  }

  handle(events: readonly CliEvent[]): void {
    const emit: EmitEvent = this.#input.emit;
    const taskId = this.#input.task.id;
    const attempt = this.#input.attempt;
    for (const event of events) {
      switch (event.kind) {
        case "text":
          this.lastText = event.text;
          emit({ type: "agent-text", taskId, attempt, text: event.text });
          break;
        case "tool-start":
          this.#started.set(event.callId, this.#clock.now());
          emit({
            type: "tool-call-start",
            taskId,
            attempt,
            callId: event.callId,
            tool: event.tool,
            input: event.input,
          });
          break;
        case "tool-end": {
          const durationMs = this.#clock.now() - (this.#started.get(event.callId) ?? this.#clock.now());
          this.#started.delete(event.callId);
          const { callId, tool, ok, output } = event;
          emit({ type: "tool-call-end", taskId, attempt, callId, tool, ok, output, durationMs });
          break;
        }
        case "usage":
          this.usage = addUsage(this.usage, event.usage);
          this.turns++;
          break;
        case "error":
          if (this.errors.length < 20) this.errors.push(event.message);
          emit({
            type: "log",
            level: "warn",
            message: `${this.#input.task.id} (${this.#input.attempt}): ${event.message}`,
            taskId,
          });
          break;
      }
    }
  }
}

async function prepareStateDir(
  sandbox: Sandbox,
  name: string,
  attempt: number,
  signal: AbortSignal,
): Promise<string> {
  const result = await sandbox.exec({
    argv: [
      "sh",
      "-c",
      'dir="$HOME/.longshot-harness/$1" && rm -rf "$dir" && mkdir -p "$dir" && printf %s "$dir"',
      "sh",
      `${name}-${attempt}`,
    ],
    timeoutMs: 30_000,
    signal,
  });
  if (result.exitCode !== 0 || result.stdout === "") {
    throw new SandboxError(
      "exec-failed",
      `Could not create the ${name} state directory in the sandbox: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

async function writeStateFile(
  sandbox: Sandbox,
  dir: string,
  file: { readonly name: string; readonly content: string },
  signal: AbortSignal,
): Promise<void> {
  await sandbox.exec({
    argv: ["sh", "-c", 'printf %s "$2" > "$1/$3"', "sh", dir, file.content, file.name],
    timeoutMs: 30_000,
    signal,
  });
}

async function removeStateDir(sandbox: Sandbox, dir: string): Promise<void> {
  await sandbox.exec({ argv: ["rm", "-rf", dir], timeoutMs: 30_000 });
}
