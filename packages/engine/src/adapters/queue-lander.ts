import type { EmitEvent } from "@longshot/core";
import type { Git, Identity } from "@longshot/git";
import {
  type IntegrationTarget,
  LocalBranchTarget,
  type MergeGateOptions,
  MergeQueue,
  type MergeResult,
  type MergeStrategy,
  type RegenerateLockfiles,
} from "@longshot/merge-queue";
import type { Lander, LandingOutcome, LandingRequest } from "../ports.js";

export interface QueueLanderOptions {
  readonly git: Git;
  readonly runId: string;
  readonly integrationBranch: string;
  readonly strategy: MergeStrategy;
  readonly committer: Identity;
  /**
   * Receives the queue's gate, push and auto-resolution events and its warnings; the engine
   * records landings and conflicts itself.
   */
  readonly emit: EmitEvent;
  readonly gate?: MergeGateOptions;
  readonly landed?: Iterable<string>;
  /** Where the integration branch lives; default the local branch `integrationBranch`. */
  readonly target?: IntegrationTarget;
  /** MERGE_UNION_ADDITIONS; default true. */
  readonly unionAdditions?: boolean;
  /** Regenerates lockfiles both sides changed (see SandboxLockfileRegenerator). */
  readonly regenerateLockfiles?: RegenerateLockfiles;
}

/** Queue events the engine records as they are. */
const forwarded = new Set(["merge-gate", "merge-push", "merge-auto-resolved", "log"]);

/**
 * The merge queue behind the engine's `Lander`. Many workers land at once; the queue serializes
 * drains, so each caller waits for the result of its own request, whichever drain produced it.
 */
export class QueueLander implements Lander {
  readonly #queue: MergeQueue;
  readonly #target: IntegrationTarget;
  readonly #options: QueueLanderOptions;
  readonly #waiting = new Map<string, (outcome: LandingOutcome) => void>();

  constructor(options: QueueLanderOptions) {
    this.#options = options;
    this.#target = options.target ?? new LocalBranchTarget(options.git, options.integrationBranch);
    this.#queue = new MergeQueue({
      git: options.git,
      target: this.#target,
      committer: options.committer,
      strategy: options.strategy,
      emit: (event) => {
        if (forwarded.has(event.type)) options.emit(event);
        // A landing is final the moment the queue announces it: the worker goes on at once
        // instead of waiting for the rest of the drain.
        if (event.type === "merge-land") {
          this.#settle(event.taskId, {
            kind: "landed",
            sha: event.sha,
            previous: event.previous,
            strategy: event.strategy,
            noop: event.noop === true,
          });
        }
      },
      // A conflict is final the moment it is decided, with what it conflicted with.
      onResult: (result) => {
        if (result.kind === "conflict") this.#settle(result.taskId, this.#outcomeOf(result));
      },
      ...(options.gate === undefined ? {} : { gate: options.gate }),
      ...(options.landed === undefined ? {} : { landed: options.landed }),
      unionAdditions: options.unionAdditions ?? true,
      ...(options.regenerateLockfiles === undefined
        ? {}
        : { regenerateLockfiles: options.regenerateLockfiles }),
    });
  }

  async head(): Promise<string> {
    const head = await this.#target.head();
    if (head === null) throw new Error(`integration branch ${this.#options.integrationBranch} is missing`);
    return head;
  }

  async land(request: LandingRequest): Promise<LandingOutcome> {
    const outcome = new Promise<LandingOutcome>((resolve) => this.#waiting.set(request.taskId, resolve));
    this.#queue.enqueue({
      taskId: request.taskId,
      attempt: request.attempt,
      commit: request.commit,
      priority: request.priority,
      message: `${request.title}\n\nLongshot-Run: ${this.#options.runId}\nLongshot-Task: ${request.taskId}\n`,
    });
    const drained = this.#queue.drain({ signal: request.signal }).then((results) => {
      // Outcomes the queue announces no event for (gate, push, skipped) arrive with the drain.
      for (const result of results) this.#settle(result.taskId, this.#outcomeOf(result));
    });
    await Promise.race([outcome, drained.then(() => outcome)]);
    return outcome;
  }

  #settle(taskId: string, outcome: LandingOutcome): void {
    const resolve = this.#waiting.get(taskId);
    if (resolve) {
      this.#waiting.delete(taskId);
      resolve(outcome);
    }
  }

  #outcomeOf(result: MergeResult): LandingOutcome {
    switch (result.kind) {
      case "landed":
        return {
          kind: "landed",
          sha: result.sha,
          previous: result.previous ?? "",
          strategy: result.strategy,
          noop: false,
        };
      case "no-op":
        return {
          kind: "landed",
          sha: result.head,
          previous: result.head,
          strategy: result.strategy,
          noop: true,
        };
      case "conflict": {
        const { files, tree, head, tip } = result;
        return { kind: "conflict", files, conflict: { files, tree, head, tip } };
      }
      case "gate-failed":
        return {
          kind: "failed",
          reason: `the ${this.#options.gate?.name ?? "merge"} gate failed for ${result.candidate.slice(0, 10)}`,
        };
      case "push-failed":
        return { kind: "failed", reason: `push failed: ${result.error}` };
      case "skipped":
        return { kind: "failed", reason: `${result.reason}: ${result.detail}` };
    }
  }
}
