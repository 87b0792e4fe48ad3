import { type Logger, type LongshotEvent, messageOf, type Task } from "@longshot/core";
import {
  type CriticKind,
  criticKinds,
  criticTaskSpec,
  parseCriticContext,
  parseCriticFindings,
  planFromFindings,
} from "@longshot/planner";
import type { AttemptReport } from "../ports.js";
import type { TaskView } from "../run-state.js";
import type { CriticEvidenceSource } from "./critic-evidence.js";
import type { CriticHost, CriticPort } from "./critic-port.js";

/** Options of {@link CriticScheduler}. */
export interface CriticSchedulerOptions {
  /** A round after every this many landings (CRITIC_EVERY, at least 1). */
  readonly every: number;
  /** Which critics a round runs (CRITICS). */
  readonly kinds: readonly CriticKind[];
  /** Findings at or above it become tasks (CRITIC_THRESHOLD). */
  readonly threshold: number;
  /** Model of critic attempts. */
  readonly model: string;
  /** Attempts a critic gets before it is dropped (TASK_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  readonly evidence: CriticEvidenceSource;
  readonly logger: Logger;
}

interface Round {
  readonly number: number;
  readonly head: string;
  readonly final: boolean;
}

/**
 * Schedules critic rounds and settles critic attempts. Everything it decides is derived from
 * the run's state (critic tasks record their round and the head they reviewed), so a resumed
 * run neither repeats a round nor skips one. Only landings of the plan's own work count: tasks
 * that critics' findings created never trigger another round, so rounds cannot feed themselves.
 */
export class CriticScheduler implements CriticPort {
  readonly #host: CriticHost;
  readonly #options: CriticSchedulerOptions;
  #busy = false;
  /** Rounds in which every critic had nothing to look at (no task records them). */
  #emptyRounds = 0;
  #finalDone = false;

  constructor(host: CriticHost, options: CriticSchedulerOptions) {
    this.#host = host;
    this.#options = { ...options, every: Math.max(1, options.every) };
  }

  get model(): string {
    return this.#options.model;
  }

  observe(event: LongshotEvent): void {
    if (event.type !== "task-transition" || event.to !== "landed" || this.#busy) return;
    const due = Math.floor(this.#countedLandings() / this.#options.every);
    const done = this.#rounds().filter((round) => !round.final).length + this.#emptyRounds;
    if (due > done) this.#start(false);
  }

  beforeFinalize(): boolean {
    if (this.#busy) return true;
    if (this.#finalDone || this.#rounds().some((round) => round.final)) return false;
    this.#finalDone = true;
    const last = this.#rounds().at(-1);
    if (this.#countedLandings() === 0 || last?.head === this.#host.state.head) return false;
    this.#start(true);
    return true;
  }

  settle(view: TaskView, attempt: number, report: AttemptReport): void {
    const host = this.#host;
    const task = view.task;
    if (report.commit !== null) {
      const files = report.handoff?.filesChanged ?? [];
      const feedback = `A critic is read-only, but attempt ${attempt} changed files${files.length > 0 ? ` (${files.join(", ")})` : ""}; its work was discarded and nothing landed. Report findings without changing any file.`;
      host.append({ type: "judge-verdict", taskId: task.id, attempt, accepted: false, feedback });
      this.#retryOrDrop(view, "the critic changed files");
      return;
    }
    if (report.outcome !== "complete" && report.outcome !== "partial") {
      this.#retryOrDrop(view, report.reason);
      return;
    }
    const kind = kindOf(task);
    const round = parseCriticContext(task.context)?.round ?? 0;
    const parsed = parseCriticFindings(report.handoff);
    const titles = new Set([...host.state.tasks.values()].map((entry) => entry.task.title));
    const plan = planFromFindings(parsed.findings, {
      kind,
      threshold: this.#options.threshold,
      existingTitles: titles,
    });
    const taskIds = plan.tasks.map((spec) => host.addTask(spec, "plan", { parentId: task.id }).id);
    host.append({
      type: "critic-report",
      taskId: task.id,
      critic: kind,
      round,
      findings: parsed.findings.map((finding) => ({ ...finding })),
      taskIds,
      notes: [...plan.notes, ...parsed.unreadable.map((text) => `Not a finding: ${text}`)],
    });
    host.transition(task.id, "merging", "critic report read; a critic has nothing to merge");
    host.transition(
      task.id,
      "landed",
      `critic report: ${parsed.findings.length} finding(s), ${taskIds.length} task(s)`,
    );
  }

  #retryOrDrop(view: TaskView, reason: string): void {
    const host = this.#host;
    if (host.state.draining) {
      host.transition(view.task.id, "ready", `${reason}; left for a resumed run`);
    } else if (view.attempts.length < this.#options.maxAttempts) {
      host.transition(view.task.id, "ready", reason);
    } else {
      // A critic that cannot report is a missing review, not missing work: the run's colour
      // stays with the code, and the log says what was dropped.
      host.append({
        type: "log",
        level: "warn",
        message: `critic ${view.task.id} dropped: ${reason}`,
        taskId: view.task.id,
      });
      host.transition(
        view.task.id,
        "cancelled",
        `critic dropped after ${view.attempts.length} attempt(s): ${reason}`,
      );
    }
  }

  /** Landed tasks that count towards a round: everything but critics and what their findings created. */
  #countedLandings(): number {
    const tasks = this.#host.state.tasks;
    let count = 0;
    for (const view of tasks.values()) {
      const task = view.task;
      if (task.state !== "landed" || task.kind === "critic") continue;
      if (task.parentId !== null && tasks.get(task.parentId)?.task.kind === "critic") continue;
      count += 1;
    }
    return count;
  }

  #rounds(): Round[] {
    const rounds = new Map<number, Round>();
    for (const view of this.#host.state.tasks.values()) {
      if (view.task.kind !== "critic") continue;
      const parsed = parseCriticContext(view.task.context);
      if (parsed !== null)
        rounds.set(parsed.round, { number: parsed.round, head: parsed.head, final: parsed.final });
    }
    return [...rounds.values()].sort((left, right) => left.number - right.number);
  }

  #start(final: boolean): void {
    this.#busy = true;
    void this.#host
      .withPlanner(async () => {
        // Never append inside the `append` that called `observe`.
        await Promise.resolve();
        await this.#schedule(final);
      })
      .catch((error: unknown) => {
        this.#options.logger.warn({ error: messageOf(error) }, "critic round could not be scheduled");
      })
      .finally(() => {
        this.#busy = false;
      });
  }

  async #schedule(final: boolean): Promise<void> {
    const host = this.#host;
    const rounds = this.#rounds();
    const previous = rounds.at(-1);
    const head = host.state.head;
    const round = { number: rounds.length + this.#emptyRounds + 1, head, final };
    const range = { from: previous?.head ?? host.state.baseCommit, to: head };
    let added = 0;
    for (const kind of criticKinds.filter((entry) => this.#options.kinds.includes(entry))) {
      const evidence = await this.#options.evidence.gather(kind, range, host.runSignal);
      if ("skip" in evidence) {
        host.append({
          type: "log",
          level: "info",
          message: `critic ${kind} (round ${round.number}) skipped: ${evidence.skip}`,
          taskId: null,
        });
        continue;
      }
      host.addTask(criticTaskSpec(evidence, round), "critic");
      added += 1;
    }
    if (added === 0 && !final) this.#emptyRounds += 1;
  }
}

function kindOf(task: Task): CriticKind {
  const named = /\[\[critic:([a-z]+)\]\]/.exec(task.description)?.[1];
  return criticKinds.find((kind) => kind === named) ?? "duplication";
}
