import { InternalError } from "@longshot/core";
import { type PolicyObject, UnexpectedCallError } from "./fake-policy.js";
import type { FakeReply } from "./fake-reply.js";
import type { FakeRequest } from "./fake-request.js";

/** One step of a script: which request it answers and how. */
export interface ScriptStep {
  /** The reply, or a function that produces it from the request. */
  readonly reply: FakeReply | ((request: FakeRequest) => FakeReply | Promise<FakeReply>);
  /** Only requests with this `x-longshot-role` header match. */
  readonly role?: string;
  /** Only requests for which this returns true match. */
  readonly match?: (request: FakeRequest) => boolean;
  /** How many requests the step answers; default 1, `Infinity` for any number. */
  readonly times?: number;
  /** When true, `assertDone` does not complain if the step was never used. */
  readonly optional?: boolean;
  /** Names the step in failure messages; default `step N`. */
  readonly label?: string;
}

/** A script entry: a full step, or just a reply (a step that matches anything, once). */
export type ScriptEntry = ScriptStep | FakeReply;

interface StepState {
  readonly step: ScriptStep;
  readonly name: string;
  used: number;
}

/** A step has `reply` and no `fault` (a cut fault has `reply` too, but is a reply itself). */
function isStep(entry: ScriptEntry): entry is ScriptStep {
  return "reply" in entry && !("fault" in entry);
}

function toStep(entry: ScriptEntry): ScriptStep {
  return isStep(entry) ? entry : { reply: entry };
}

function summary(request: FakeRequest): string {
  const role = request.role === undefined ? "" : `, role ${request.role}`;
  const text = request.lastUserText().replace(/\s+/g, " ").slice(0, 80);
  return `request #${request.index} (${request.protocol}, model ${request.model}${role}, last user text "${text}")`;
}

/**
 * A policy that plays an ordered script, in the spirit of openai-agents-js's ScriptedModel.
 * Each request takes the first step that still has uses left and whose `role` and `match`
 * accept it, so a script without conditions is served strictly in order. A request no step
 * accepts throws {@link UnexpectedCallError} (the server answers 500 and records it), and
 * `assertDone()` throws when such a call happened or a required step was left unused.
 */
export class ScriptedPolicy implements PolicyObject {
  readonly #steps: StepState[];
  readonly #failures: string[] = [];

  constructor(entries: readonly ScriptEntry[]) {
    this.#steps = entries.map((entry, position) => {
      const step = toStep(entry);
      return { step, name: step.label ?? `step ${position + 1}`, used: 0 };
    });
  }

  /** Unexpected-call messages so far. */
  get failures(): readonly string[] {
    return this.#failures;
  }

  /** How many steps still have required uses left. */
  get remaining(): number {
    return this.#unused().length;
  }

  async reply(request: FakeRequest): Promise<FakeReply> {
    const state = this.#steps.find((candidate) => this.#accepts(candidate, request));
    if (state === undefined) {
      const used = this.#steps.length - this.#unused().length;
      const message = `Unexpected call: ${summary(request)} matched no remaining script step (${used} of ${this.#steps.length} steps used).`;
      this.#failures.push(message);
      throw new UnexpectedCallError(message);
    }
    state.used += 1;
    const { reply } = state.step;
    return typeof reply === "function" ? reply(request) : reply;
  }

  /** Throws an InternalError listing unexpected calls and unused steps, one per line. */
  assertDone(): void {
    const unused = this.#unused().map(
      (state) =>
        `Unused script step: ${state.name} was used ${state.used} of ${state.step.times ?? 1} times.`,
    );
    const problems = [...this.#failures, ...unused];
    if (problems.length > 0) throw new InternalError(problems.join("\n"));
  }

  #accepts(state: StepState, request: FakeRequest): boolean {
    const { step } = state;
    if (state.used >= (step.times ?? 1)) return false;
    if (step.role !== undefined && step.role !== request.role) return false;
    return step.match === undefined || step.match(request);
  }

  #unused(): StepState[] {
    return this.#steps.filter((state) => {
      if (state.step.optional === true) return false;
      const times = state.step.times ?? 1;
      return times === Number.POSITIVE_INFINITY ? state.used === 0 : state.used < times;
    });
  }
}
