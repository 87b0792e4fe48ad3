import type { Clock, EmitEvent } from "@longshot/core";
import { blockedConnection, launcherLogPrefix } from "@longshot/gateway";
import type { HarnessRunInput } from "../harness.js";
import type { CliEvent } from "./cli-event.js";

/**
 * Turns what a CLI prints into Longshot events: its JSONL (text, tool calls, errors) and the
 * launcher's stderr lines (blocked connections, a missing program). Tokens and turns are not
 * taken from the CLI: the gateway meters them.
 */
export class CliStream {
  lastText = "";
  readonly errors: string[] = [];
  /** Destinations the sandbox refused, as the launcher logged them. */
  readonly blocked: string[] = [];
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
          // The gateway meters every call; what the CLI reports is not trusted for budgets.
          break;
        case "error":
          this.#error(event.message);
          break;
      }
    }
  }

  /** One line of the CLI's stderr: only the launcher's own lines mean something here. */
  handleStderr(line: string): void {
    if (!line.startsWith(launcherLogPrefix())) return;
    const blocked = blockedConnection(line);
    if (blocked === null) {
      this.#error(line.slice(launcherLogPrefix().length).trim());
      return;
    }
    if (this.blocked.length < 100) this.blocked.push(blocked);
    this.#input.emit({
      type: "log",
      level: "warn",
      message: `${this.#input.task.id} (${this.#input.attempt}): the sandbox ${blocked}`,
      taskId: this.#input.task.id,
    });
  }

  #error(message: string): void {
    if (this.errors.length < 20) this.errors.push(message);
    this.#input.emit({
      type: "log",
      level: "warn",
      message: `${this.#input.task.id} (${this.#input.attempt}): ${message}`,
      taskId: this.#input.task.id,
    });
  }
}
