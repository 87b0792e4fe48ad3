import { randomInt } from "node:crypto";
import { AbortError, type Clock, reachesGatewayByUrl, throwIfAborted, UserError } from "@longshot/core";
import {
  type GatewayGrant,
  type GatewaySession,
  launcherPorts,
  launcherSource,
  proxyEnv,
} from "@longshot/gateway";
import type { CommitAuthor } from "@longshot/sandbox";
import type { AttemptResult, Harness, HarnessName, HarnessRunInput } from "../harness.js";
import { AttemptWatchdog } from "../internal/attempt-watchdog.js";
import { cliPrompt } from "../internal/prompts.js";
import type { CheckCommand } from "../tools/command-tools.js";
import type { CliAdapter } from "./cli-adapter.js";
import { prepareStateDir, removeStateDir, writeStateFile } from "./cli-state-dir.js";
import { CliStream } from "./cli-stream.js";
import { judgeCliAttempt } from "./judge-cli-attempt.js";
import { LineSplitter } from "./line-splitter.js";

/** Issues one gateway session (a token bound to one attempt) per attempt: a `ModelGateway`. */
export interface CliGateway {
  open(grant: GatewayGrant): GatewaySession;
}

/** What a CLI harness shares across attempts. */
export interface CliHarnessOptions {
  /** The run's model gateway: the CLI's only way to a model, and its only way out of the sandbox. */
  readonly gateway: CliGateway;
  /** How to start the CLI inside the sandbox; the adapter's default (`codex`, `pi`, …) otherwise. */
  readonly command?: readonly string[];
  /** Extra environment for the CLI process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly author: CommitAuthor;
  /** The project's checks; the attempt is judged by them and by the diff, not the exit code. */
  readonly checks: readonly CheckCommand[];
  /** How long a CLI may go on after the gateway refused one of its calls; default 10 s. */
  readonly refusalGraceMs?: number;
  /** Port the in-sandbox launcher forwards the gateway on (and the next one); default random. */
  readonly port?: number;
  /**
   * The gateway's public address (GATEWAY_PUBLIC_URL), for sandboxes that do not share this
   * machine's kernel (`reachesGatewayByUrl(provider)`: E2B, Modal).
   */
  readonly publicUrl?: string;
}

/** The token outlives the attempt's wall time by this much, then stops working by itself. */
const tokenGraceMs = 60_000;

/**
 * An external coding CLI as a {@link Harness}. It runs inside the task's sandbox, which keeps
 * no network: a launcher started with it forwards `127.0.0.1:<port>` to the run's model
 * gateway (a unix socket bound into the sandbox, or the gateway's public URL for cloud
 * sandboxes, whose egress allows that host alone) and refuses, and logs, everything else. The
 * CLI gets the gateway's address and a token bound to this attempt, never a real key; the
 * gateway meters its calls and refuses those past the turn limit or a budget, after which the
 * CLI is stopped. Its JSONL becomes `agent-text`, `tool-call-*` and `log` events. The exit
 * code proves nothing: the outcome comes from the diff and the checks.
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
    const session = this.#options.gateway.open({
      runId: input.task.runId,
      taskId: input.task.id,
      attempt: input.attempt,
      model: input.model,
      maxTurns: input.limits.maxTurns,
      ...(input.limits.maxTokens === undefined ? {} : { maxTokens: input.limits.maxTokens }),
      ttlMs: input.limits.wallTimeMs + tokenGraceMs,
    });
    const watchdog = new AttemptWatchdog(this.#options.clock, input.limits, input.signal);
    const stream = new CliStream(input, this.#options.clock);
    let exit: { exitCode: number; timedOut: boolean } | null = null;
    try {
      exit = await this.#execute(input, session, stateDir, watchdog, stream);
    } finally {
      watchdog.stop();
      session.close();
      await removeStateDir(input.sandbox, stateDir).catch(() => undefined);
    }
    const refusal = session.refusal;
    if (refusal?.kind === "tokens" && input.limits.maxTokens !== undefined) {
      // The attempt's share of the task's own cap is spent: said as the model client says it,
      // so the run treats it as the task's budget, not the run's.
      input.emit({
        type: "budget-refuse",
        scope: "task",
        kind: "tokens",
        taskId: input.task.id,
        limit: input.limits.maxTokens,
        used: session.usage.promptTokens + session.usage.completionTokens,
      });
    }
    return judgeCliAttempt({
      input,
      harness: this.name,
      author: this.#options.author,
      checks: this.#options.checks,
      stop: watchdog.reason ?? (exit?.timedOut ? "timeout" : null),
      exitCode: exit?.exitCode ?? null,
      usage: session.usage,
      turns: session.calls,
      refusal: session.refusal,
      lastText: stream.lastText,
      errors: stream.errors,
    });
  }

  /** Where the launcher in this sandbox finds the gateway: its socket, or its public URL. */
  #gatewayFor(input: HarnessRunInput, session: GatewaySession): string {
    if (!reachesGatewayByUrl(input.sandbox.provider)) return session.socketPath;
    if (this.#options.publicUrl === undefined) {
      throw new UserError(
        `The ${this.name} harness cannot reach the model gateway from a ${input.sandbox.provider} sandbox: set GATEWAY_PUBLIC_URL.`,
      );
    }
    return this.#options.publicUrl;
  }

  /** Writes the CLI's files and runs it behind the launcher; null when it was stopped. */
  async #execute(
    input: HarnessRunInput,
    session: GatewaySession,
    stateDir: string,
    watchdog: AttemptWatchdog,
    stream: CliStream,
  ): Promise<{ exitCode: number; timedOut: boolean } | null> {
    const port = this.#options.port ?? 2 * randomInt(10_000, 30_000);
    const { gatewayUrl, proxyUrl } = launcherPorts(port);
    const plan = this.#adapter.plan({
      command: this.#options.command ?? this.#adapter.defaultCommand,
      prompt: cliPrompt(input.task, input.feedback),
      model: input.model,
      stateDir,
      workdir: input.sandbox.workdir,
      endpoint: { baseUrl: `${gatewayUrl}/v1`, apiKey: session.token },
      maxTurns: input.limits.maxTurns,
    });
    const files = [...plan.files, { name: "launcher.mjs", content: launcherSource }];
    for (const file of files) await writeStateFile(input.sandbox, stateDir, file, input.signal);
    const untouch = session.onActivity(() => watchdog.touch());
    const afterRefusal = new AbortController();
    const waiting = new AbortController();
    session.refused.addEventListener(
      "abort",
      () => {
        // The CLI got the refusal; give it a moment to say so and exit, then stop it.
        this.#options.clock.sleep(this.#options.refusalGraceMs ?? 10_000, waiting.signal).then(
          () => afterRefusal.abort(),
          () => undefined,
        );
      },
      { once: true },
    );
    const parser = this.#adapter.createParser();
    const stdout = new LineSplitter((line) => stream.handle(parser.parseLine(line)));
    const stderr = new LineSplitter((line) => stream.handleStderr(line));
    try {
      const result = await input.sandbox.exec({
        argv: [
          "node",
          `${stateDir}/launcher.mjs`,
          this.#gatewayFor(input, session),
          String(port),
          ...plan.argv,
        ],
        env: { ...this.#options.env, ...proxyEnv(proxyUrl), ...plan.env },
        timeoutMs: input.limits.wallTimeMs,
        signal: AbortSignal.any([watchdog.signal, afterRefusal.signal]),
        maxOutputBytes: 65_536,
        onStdout: (chunk) => {
          watchdog.touch();
          stdout.push(chunk);
        },
        onStderr: (chunk) => {
          watchdog.touch();
          stderr.push(chunk);
        },
      });
      stdout.end();
      stderr.end();
      return result;
    } catch (error) {
      if (watchdog.reason === null && !afterRefusal.signal.aborted && !(error instanceof AbortError))
        throw error;
      return null;
    } finally {
      waiting.abort();
      untouch();
    }
  }
}
