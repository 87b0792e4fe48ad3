import {
  type Clock,
  type LongshotEvent,
  type NewEvent,
  parseEvent,
  type Task,
  type TaskSpec,
  TaskSpecSchema,
  zeroUsage,
} from "@longshot/core";
import { TaskGraph, type TaskGraphSnapshot } from "@longshot/planner";
import type { ExecOptions, ExecResult, Sandbox, SandboxCreateOptions, SandboxProvider } from "@longshot/sandbox";
import type { RunEngine } from "../engine.js";
import type { Judge, ReviewInput, Verdict } from "../judge.js";
import type {
  AttemptReport,
  AttemptRequest,
  ConflictResolution,
  ConflictResolver,
  ConflictToResolve,
  FinalizeResult,
  FixRecheck,
  HealthPort,
  Lander,
  LandingOutcome,
  LandingRequest,
  PlannerPort,
  PlannerUpdate,
  RunLog,
  WorkerHarness,
} from "../ports.js";

/**
 * Fakes of the engine's ports, for tests of the run loop that need no git, model or sandbox:
 * each records what it was asked and answers from a script.
 */

/** The event log in memory, with the store's envelope (run id, sequence number, time). */
export class MemoryRunLog implements RunLog {
  readonly #events: LongshotEvent[] = [];
  readonly #runId: string;
  readonly #clock: Clock;

  constructor(runId: string, clock: Clock, events: readonly LongshotEvent[] = []) {
    this.#runId = runId;
    this.#clock = clock;
    this.#events.push(...events);
  }

  append(event: NewEvent): LongshotEvent {
    const recorded = parseEvent({ ...event, runId: this.#runId, seq: this.#events.length, at: this.#clock.now() });
    this.#events.push(recorded);
    return recorded;
  }

  read(afterSeq?: number): LongshotEvent[] {
    return afterSeq === undefined ? [...this.#events] : this.#events.filter((event) => event.seq > afterSeq);
  }
}

/** A clock whose time is set by the test while its sleeps take real (short) time. */
export class SteppedClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  set(now: number): void {
    this.#now = now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, Math.min(ms, 20));
      signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}

/** What a fake sandbox's commands print: by command line, a passing empty run otherwise. */
export type FakeCommands = (command: string) => Partial<ExecResult>;

/** Sandboxes that only run scripted commands; file and git methods are not part of the fake. */
export class FakeSandboxProvider implements SandboxProvider {
  readonly name = "fake";
  readonly commands: string[] = [];
  live = 0;
  #next = 0;
  readonly #script: FakeCommands;

  constructor(script: FakeCommands = () => ({})) {
    this.#script = script;
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    this.#next += 1;
    this.live += 1;
    const unsupported = (what: string) => (): never => {
      throw new Error(`the fake sandbox has no ${what}`);
    };
    let destroyed = false;
    return {
      id: `fake-${this.#next}`,
      provider: this.name,
      workdir: "/workspace",
      branch: options.branch,
      baseCommit: options.baseCommit,
      isolation: { network: true, filesystem: true, processes: true, cpu: true, memory: true },
      exec: async (exec: ExecOptions) => {
        const command = exec.command ?? (exec.argv ?? []).join(" ");
        this.commands.push(command);
        return { exitCode: 0, stdout: "", stderr: "", timedOut: false, truncated: false, durationMs: 1, ...this.#script(command) };
      },
      readFile: unsupported("readFile"),
      writeFile: unsupported("writeFile"),
      listFiles: unsupported("listFiles"),
      search: unsupported("search"),
      commit: unsupported("commit"),
      exportResult: unsupported("exportResult"),
      moveTo: unsupported("moveTo"),
      destroy: async () => {
        if (!destroyed) this.live -= 1;
        destroyed = true;
      },
    };
  }

  async cleanOrphans(): Promise<readonly string[]> {
    return [];
  }

  async close(): Promise<void> {}
}

/** How a scripted attempt ends; `commit` null means the agent changed nothing. */
export type AttemptScript = (request: AttemptRequest) => Partial<AttemptReport> | Promise<Partial<AttemptReport>>;

/** A harness that answers each attempt from a script and remembers every request. */
export class ScriptedHarness implements WorkerHarness {
  readonly name = "scripted";
  readonly requests: AttemptRequest[] = [];
  readonly #script: AttemptScript;

  constructor(script: AttemptScript) {
    this.#script = script;
  }

  async run(request: AttemptRequest): Promise<AttemptReport> {
    this.requests.push(request);
    const partial = await this.#script(request);
    const commit = partial.commit === undefined ? `c-${request.task.id}-${request.attempt}` : partial.commit;
    return {
      outcome: "complete",
      handoff: { status: "complete", summary: "done", filesChanged: [], concerns: [], suggestions: [] },
      reason: "the agent finished",
      usage: zeroUsage,
      ...partial,
      commit,
    };
  }
}

/** Answers a landing before the fake queue does; undefined lets it land as usual. */
export type LandingScript = (
  request: LandingRequest,
) => LandingOutcome | undefined | Promise<LandingOutcome | undefined>;

/**
 * A merge queue that lands everything it is given, each landing a new head; a task in `noop`
 * lands as a no-op (its work is already on the branch), leaving the head where it is. `script`
 * answers first (a conflict, a failed gate), for the landings the test means to go wrong.
 */
export class FakeLander implements Lander {
  readonly landed: string[] = [];
  readonly noop = new Set<string>();
  /** Every landing asked for, in order, whatever its outcome. */
  readonly requests: LandingRequest[] = [];
  script: LandingScript | null = null;
  #head: string;

  constructor(base: string) {
    this.#head = base;
  }

  async land(request: LandingRequest): Promise<LandingOutcome> {
    this.requests.push(request);
    const scripted = await this.script?.(request);
    if (scripted !== undefined) return scripted;
    const previous = this.#head;
    if (this.noop.has(request.taskId)) return { kind: "landed", sha: previous, previous, strategy: "fake", noop: true };
    this.#head = `h${this.landed.length + 1}-${request.taskId}`;
    this.landed.push(request.taskId);
    return { kind: "landed", sha: this.#head, previous, strategy: "fake" };
  }

  async head(): Promise<string> {
    return this.#head;
  }
}

/** A conflict resolver that answers from a script and remembers every conflict it was given. */
export class FakeConflictResolver implements ConflictResolver {
  readonly requests: ConflictToResolve[] = [];
  readonly #script: (request: ConflictToResolve) => ConflictResolution;

  constructor(script: (request: ConflictToResolve) => ConflictResolution) {
    this.#script = script;
  }

  async resolve(request: ConflictToResolve): Promise<ConflictResolution> {
    this.requests.push(request);
    return this.#script(request);
  }
}

/** What the fake planner does with news. */
export interface PlannerScript {
  /** The tasks of the plan, added in one batch. */
  readonly tasks: readonly (Partial<TaskSpec> & { readonly title: string })[];
  /** A task whose attempts are exhausted: cancel it (give it up), retry it, or leave it failed. */
  readonly onGiveUp?: "cancel" | "retry" | "leave";
  /** A task whose landing was reverted: retry it (once) or leave it. */
  readonly onReverted?: "retry" | "leave";
}

/** A planner over the real task graph that plans a fixed list and follows a script. */
export class FakePlanner implements PlannerPort {
  readonly graph: TaskGraph;
  readonly updates: PlannerUpdate[] = [];
  /** Progress news heard (failures waiting for planned work). */
  readonly heard: string[] = [];
  /** Tasks handed back after their attempts ran out, with the reason, in order. */
  readonly gaveUp: { readonly taskId: string; readonly reason: string }[] = [];
  readonly #script: PlannerScript;
  readonly #emit: (event: NewEvent) => void;
  readonly #retried = new Set<string>();

  constructor(
    script: PlannerScript,
    snapshot: TaskGraphSnapshot,
    emit: (event: NewEvent) => void,
    clock: Clock,
    runId: string,
  ) {
    this.#script = script;
    this.#emit = emit;
    this.graph = new TaskGraph({ runId, branchPrefix: "longshot/", clock }, snapshot);
  }

  async plan(): Promise<void> {
    if (this.graph.size > 0) return;
    const change = this.graph.addAll(
      this.#script.tasks.map((task, index) => ({
        key: `k${index}`,
        spec: TaskSpecSchema.parse({ description: task.title, scope: [`src/${index}.ts`], ...task }),
      })),
      { kind: "plan" },
    );
    for (const event of change.events) this.#emit(event);
  }

  async update(update: PlannerUpdate): Promise<void> {
    this.updates.push(update);
    if (update.outcome === "reverted" && this.#script.onReverted === "retry" && !this.#retried.has(update.taskId)) {
      this.#retried.add(update.taskId);
      this.#move(update.taskId, "ready", "retried by the planner");
    }
  }

  async complete(): Promise<boolean> {
    return true;
  }

  async giveUp(task: Task, reason: string): Promise<void> {
    this.gaveUp.push({ taskId: task.id, reason });
    if (this.#script.onGiveUp === "cancel") this.#move(task.id, "cancelled", `dropped: ${reason}`);
    else if (this.#script.onGiveUp === "retry" && !this.#retried.has(task.id)) {
      this.#retried.add(task.id);
      this.#move(task.id, "ready", "retried by the planner");
    }
  }

  news(summary: string): void {
    this.heard.push(summary);
  }

  #move(taskId: string, to: "ready" | "cancelled", reason: string): void {
    const result = this.graph.transition(taskId, to, reason);
    if (result.ok) this.#emit(result.event);
  }
}

/** Health checks answered by the test: finalization's verdict and the recheck of fix tasks. */
export class FakeHealth implements HealthPort {
  readonly landings: string[] = [];
  finalizations = 0;
  readonly #finalize: (round: number) => FinalizeResult | Promise<FinalizeResult>;
  /** Present only when the test gives a recheck, as a health port that cannot tell lacks it. */
  recheckFix?: (task: Task, signal: AbortSignal) => Promise<FixRecheck>;

  constructor(
    finalize: (round: number) => FinalizeResult | Promise<FinalizeResult>,
    recheck: ((task: Task) => FixRecheck) | null = null,
  ) {
    this.#finalize = finalize;
    if (recheck !== null) this.recheckFix = async (task) => recheck(task);
  }

  start(): void {}

  notifyLanded(landing: { readonly taskId: string }): void {
    this.landings.push(landing.taskId);
  }

  async finalize(): Promise<FinalizeResult> {
    this.finalizations += 1;
    return this.#finalize(this.finalizations);
  }

  async stop(): Promise<void> {}
}

/**
 * Health whose first finalization finds that `revert.taskId` broke the branch: it records the
 * `merge-revert` and hands the task back to the engine, as the reconciler does. Each round's
 * verdict, the first included, comes from `verdict`.
 */
export function revertingHealth(
  engine: Pick<RunEngine, "append" | "markReverted">,
  revert: { readonly taskId: string; readonly reason: string },
  verdict: (round: number) => FinalizeResult,
): FakeHealth {
  const { taskId, reason } = revert;
  return new FakeHealth((round) => {
    if (round === 1) {
      engine.append({ type: "merge-revert", taskId, reverted: `h1-${taskId}`, sha: "rv1", reason });
      engine.markReverted(taskId, reason);
    }
    return verdict(round);
  });
}

/** A judge that keeps what it was shown and answers from a script (by default, accepts everything). */
export class RecordingJudge implements Judge {
  readonly reviews: ReviewInput[] = [];
  readonly #verdict: (input: ReviewInput) => Verdict;

  constructor(verdict: (input: ReviewInput) => Verdict = () => ({ accepted: true, feedback: "fine" })) {
    this.#verdict = verdict;
  }

  async review(input: ReviewInput): Promise<Verdict> {
    this.reviews.push(input);
    return this.#verdict(input);
  }
}
