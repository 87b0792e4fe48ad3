import { type Clock, type EmitEvent, InternalError, systemClock, throwIfAborted } from "@longshot/core";
import type { CommitWriter, Git, Identity } from "@longshot/git";
import { ProcessGitRunner } from "@longshot/git";
import type { IntegrationTarget } from "./integration-target.js";
import type { HeadState } from "./internal/integrate-one.js";
import { type BatchHost, landBatch } from "./internal/land-batch.js";
import { QueuePlumbing } from "./internal/queue-plumbing.js";
import { compareEntries, type QueueEntry, selectBatch, waitingFor } from "./internal/ready-order.js";
import type {
  LockfileRegeneration,
  LockfileRequest,
  MergeGateOptions,
  MergeRequest,
  MergeResult,
  MergeStrategy,
  PendingRequest,
  RegenerateLockfiles,
} from "./types.js";

export type { MergeGateOptions } from "./types.js";

/** Options of {@link MergeQueue}. */
export interface MergeQueueOptions {
  /** The repository where candidates are computed (the orchestrator's). */
  readonly git: Git;
  /** The integration branch. */
  readonly target: IntegrationTarget;
  /** Committer of every commit the queue creates. */
  readonly committer: Identity;
  /** Default `rebase`. */
  readonly strategy?: MergeStrategy;
  readonly emit?: EmitEvent;
  /** Dates created commits and paces push retries; default the system clock. */
  readonly clock?: Clock;
  readonly gate?: MergeGateOptions;
  /**
   * Candidates chained and landed with one compare-and-swap (and checked together by the gate;
   * a failing batch is bisected). Default 16.
   */
  readonly batchSize?: number;
  /** Tasks that already landed (when resuming a run). */
  readonly landed?: Iterable<string>;
  /** Compare-and-swap races a request may lose before it is skipped as `contended`; default 50. */
  readonly maxCasRetries?: number;
  /**
   * Resolve the conflicts whose answer is certain (docs/decisions/0003-union-of-additions.md);
   * default true. Files both sides only added lines to get the union of the additions, each
   * line once (also after a clean merge that kept a line twice); `package.json` is merged by
   * key; lockfiles are regenerated with `regenerateLockfiles`. Anything else stays a conflict.
   */
  readonly unionAdditions?: boolean;
  /**
   * Regenerates conflicting lockfiles for the merged manifests (a lockfile-only install in a
   * sandbox). Without it a lockfile conflict goes back to the task.
   */
  readonly regenerateLockfiles?: RegenerateLockfiles;
  /**
   * Called with each result the moment it is decided, before `drain` resolves (a caller waiting
   * for one request can go on while the drain lands others).
   */
  readonly onResult?: (result: MergeResult) => void;
  /** Push attempts per landing on a remote target; default 3. */
  readonly maxPushAttempts?: number;
  /** Pause before the n-th push retry is n times this; default 1000 ms. */
  readonly pushRetryDelayMs?: number;
  /**
   * Read commits and merge tasks that touched no path the head changed meanwhile over
   * long-lived git processes (default true); false: one git process per question, as git's own
   * commands answer. Both give the same commits.
   */
  readonly plumbing?: boolean;
  /** How long the queue's commit writer stays open after a drain; default 5 s. */
  readonly idleMs?: number;
}

interface QueueTools {
  readonly writer: CommitWriter;
  readonly plumbing: QueuePlumbing | null;
}

/**
 * Lands finished task branches on the integration branch without a working tree: candidates
 * come from `merge-tree --write-tree` and `commit-tree`, and the branch moves only by
 * compare-and-swap, so a concurrent writer is never overwritten (a lost race is recomputed on
 * the new head). Requests land by priority, then arrival, and never before the tasks they
 * depend on. Up to `batchSize` candidates are chained and land with one ref move; with a gate
 * they are checked together and a failing batch is bisected to find the culprits.
 */
export class MergeQueue {
  readonly #options: MergeQueueOptions;
  readonly #clock: Clock;
  readonly #landed: Set<string>;
  readonly #unionRunner = new ProcessGitRunner();
  /** Regenerations by merged commit, so a chain rebuilt after a lost race does not run them again. */
  readonly #regenerated = new Map<string, Promise<LockfileRegeneration>>();
  #entries: QueueEntry[] = [];
  #arrivals = 0;
  #head: HeadState | null | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #writer: Promise<CommitWriter> | undefined;
  #plumbing: Promise<QueuePlumbing | null> | undefined;
  #idle: NodeJS.Timeout | undefined;

  constructor(options: MergeQueueOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#landed = new Set(options.landed ?? []);
  }

  /**
   * Adds a request (replacing a pending request of the same task) and emits `merge-enqueue`.
   * Nothing is integrated until {@link drain}. Throws `InternalError` for a task that already
   * landed.
   */
  enqueue(request: MergeRequest): void {
    if (this.#landed.has(request.taskId)) {
      throw new InternalError(`Task ${request.taskId} has already landed; it cannot be enqueued again.`, {
        fields: { taskId: request.taskId, attempt: request.attempt },
      });
    }
    this.#entries = this.#entries.filter((entry) => entry.request.taskId !== request.taskId);
    this.#entries.push({ request, arrival: this.#arrivals++ });
    this.#options.emit?.({
      type: "merge-enqueue",
      taskId: request.taskId,
      attempt: request.attempt,
      commit: request.commit,
    });
  }

  /**
   * Integrates every request that is ready, in order, until none is; requests whose
   * dependencies have not landed stay queued. Requests enqueued meanwhile are picked up. Calls
   * run one at a time. Resolves with one result per request decided, in the order decided.
   * Throws `AbortError` on cancellation and the underlying error on git or gate failures; the
   * branch is then at a consistent commit and every undecided request is back in the queue.
   */
  drain(options: { readonly signal?: AbortSignal } = {}): Promise<MergeResult[]> {
    const run = this.#tail.then(() => this.#drain(options.signal));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Requests still queued, in landing order, with the dependencies each waits for. */
  pending(): PendingRequest[] {
    return [...this.#entries]
      .sort(compareEntries)
      .map((entry) => ({ request: entry.request, waitingFor: waitingFor(entry, this.#landed) }));
  }

  /** True once `taskId` has landed on the integration branch. */
  hasLanded(taskId: string): boolean {
    return this.#landed.has(taskId);
  }

  async #drain(signal: AbortSignal | undefined): Promise<MergeResult[]> {
    const results: MergeResult[] = [];
    this.#head = undefined;
    if (selectBatch(this.#entries, this.#landed, 1).length === 0) return results;
    clearTimeout(this.#idle);
    const { writer, plumbing } = await this.#tools(signal);
    try {
      const host = this.#host(writer, plumbing, results, new Date(this.#clock.now()), signal);
      for (;;) {
        throwIfAborted(signal);
        const taken = selectBatch(this.#entries, this.#landed, this.#options.batchSize ?? 16);
        if (taken.length === 0) return results;
        this.#entries = this.#entries.filter((entry) => !taken.includes(entry));
        const decidedBefore = results.length;
        try {
          await landBatch(host, taken, null);
        } catch (error) {
          this.#restoreUndecided(taken, results.slice(decidedBefore));
          throw error;
        }
      }
    } finally {
      this.#closeWhenIdle();
    }
  }

  /**
   * The commit writer and plumbing of the queue's gits, opened by the first drain and kept
   * between drains, so a landing costs no process start. The writer closes `idleMs` after the
   * last drain; the plumbing's gits stop by themselves when idle, and it keeps what it learned.
   */
  async #tools(signal: AbortSignal | undefined): Promise<QueueTools> {
    if (this.#plumbing === undefined) {
      const opening =
        this.#options.plumbing === false
          ? Promise.resolve(null)
          : QueuePlumbing.open(this.#options.git, signal);
      this.#plumbing = opening;
      opening.catch(() => {
        if (this.#plumbing === opening) this.#plumbing = undefined;
      });
    }
    const plumbing = await this.#plumbing;
    const fallback = (): Promise<CommitWriter> => this.#fallbackWriter(signal);
    return { writer: plumbing === null ? await fallback() : plumbing.commitWriter(fallback), plumbing };
  }

  /** The commit writer of runners without plumbing, or for repositories git must write itself. */
  #fallbackWriter(signal: AbortSignal | undefined): Promise<CommitWriter> {
    if (this.#writer === undefined) {
      const opening = this.#options.git.openCommitWriter(signal === undefined ? {} : { signal });
      this.#writer = opening;
      opening.catch(() => {
        if (this.#writer === opening) this.#writer = undefined;
      });
    }
    return this.#writer;
  }

  #closeWhenIdle(): void {
    clearTimeout(this.#idle);
    const writer = this.#writer;
    if (writer === undefined) return;
    this.#idle = setTimeout(() => {
      if (this.#writer !== writer) return;
      this.#writer = undefined;
      void writer.then((opened) => opened.close()).catch(() => undefined);
    }, this.#options.idleMs ?? 5_000);
    this.#idle.unref();
  }

  /** After a failure mid-batch, puts back every taken request that got no result, so none is lost. */
  #restoreUndecided(taken: readonly QueueEntry[], decided: readonly MergeResult[]): void {
    for (const entry of taken) {
      const done = decided.some((result) => result.taskId === entry.request.taskId);
      if (!done && !this.#entries.includes(entry)) this.#entries.push(entry);
    }
  }

  #regenerateOnce(regenerate: RegenerateLockfiles): RegenerateLockfiles {
    return (request: LockfileRequest, signal: AbortSignal) => {
      const known = this.#regenerated.get(request.commit);
      if (known !== undefined) return known;
      if (this.#regenerated.size >= 32) this.#regenerated.clear();
      const pending = regenerate(request, signal);
      this.#regenerated.set(request.commit, pending);
      // A cancelled or crashed regeneration is not an answer to keep.
      pending.catch(() => this.#regenerated.delete(request.commit));
      return pending;
    };
  }

  #host(
    writer: CommitWriter,
    plumbing: QueuePlumbing | null,
    results: MergeResult[],
    date: Date,
    signal: AbortSignal | undefined,
  ): BatchHost {
    const options = this.#options;
    return {
      git: options.git,
      writer,
      target: options.target,
      strategy: options.strategy ?? "rebase",
      committer: options.committer,
      date,
      autoResolve:
        options.unionAdditions === false
          ? undefined
          : {
              runner: this.#unionRunner,
              ...(options.regenerateLockfiles === undefined
                ? {}
                : { regenerateLockfiles: this.#regenerateOnce(options.regenerateLockfiles) }),
            },
      clock: this.#clock,
      emit: options.emit ?? (() => {}),
      gate: options.gate,
      maxCasRetries: options.maxCasRetries ?? 50,
      maxPushAttempts: options.maxPushAttempts ?? 3,
      pushRetryDelayMs: options.pushRetryDelayMs ?? 1000,
      signal,
      plumbing,
      landed: this.#landed,
      results: {
        push: (...decided: MergeResult[]) => {
          for (const result of decided) {
            results.push(result);
            options.onResult?.(result);
          }
          return results.length;
        },
      },
      requeue: (entry) => {
        this.#entries.push(entry);
      },
      head: () => this.#head,
      setHead: (head) => {
        this.#head = head;
      },
    };
  }
}
