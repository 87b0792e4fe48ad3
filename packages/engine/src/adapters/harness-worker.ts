import type { Harness, HarnessLimits } from "@longshot/agent";
import type { AttemptReport, AttemptRequest, WorkerHarness } from "../ports.js";

/** An agent harness (built-in loop or external CLI) as the engine's worker. */
export class HarnessWorker implements WorkerHarness {
  readonly #harness: Harness;
  readonly #limits: HarnessLimits;

  constructor(harness: Harness, limits: HarnessLimits) {
    this.#harness = harness;
    this.#limits = limits;
  }

  get name(): string {
    return this.#harness.name;
  }

  async run(request: AttemptRequest): Promise<AttemptReport> {
    const notes: string[] = [];
    if (request.feedback) notes.push(request.feedback);
    if (request.conflictFiles.length > 0) {
      notes.push(
        `Your previous work could not land: ${request.conflictFiles.join(", ")} changed meanwhile on the integration branch. You start from the current code; read those files again and redo your change so it fits.`,
      );
    }
    const result = await this.#harness.run({
      task: request.task,
      attempt: request.attempt,
      sandbox: request.sandbox,
      model: request.model,
      role: request.role,
      limits: this.#limits,
      ...(notes.length > 0 ? { feedback: notes.join("\n\n") } : {}),
      signal: request.signal,
      emit: request.emit,
    });
    return {
      outcome: result.outcome,
      handoff: result.handoff,
      commit: result.commit,
      reason: result.reason,
      usage: result.usage,
    };
  }
}
