import type { AssistantMessage } from "@longshot/llm";
import { type CompactionPolicy, estimateMessageTokens } from "../compaction.js";

/** The smallest cut of a result: enough for its first and last lines. */
export const minResultChars = 400;
/** Room kept for the note that stands in for the cut part of a result. */
export const omissionNoteChars = 300;
/** Room kept for the answer to a call that is not run (`tooManyCalls`). */
export const skippedCallChars = 140;

/**
 * The room the tool results of one turn may take together, handed out as the calls run: each
 * result may use an even share of what is left (within `[minResultChars, maxChars]`, plus its
 * note), so small results leave more for large ones, and the turn as a whole stays within
 * `turnShare` of the window with something of every result shown. When not even the smallest
 * cut fits for every call, only the first `runnable` calls run; the others get a short answer
 * saying so, and their room is kept for it.
 */
export class TurnRoom {
  /** How many of the turn's calls run; the rest are answered without running. */
  readonly runnable: number;
  readonly #maxChars: number;
  #chars: number;
  #calls: number;

  constructor(roomChars: number, calls: number, maxChars: number) {
    const room = Math.max(0, roomChars);
    const smallest = minResultChars + omissionNoteChars;
    const fitting = Math.floor((room - calls * skippedCallChars) / (smallest - skippedCallChars));
    this.runnable = Math.max(1, Math.min(calls, fitting));
    this.#chars = room - (calls - this.runnable) * skippedCallChars;
    this.#maxChars = maxChars;
    this.#calls = this.runnable;
  }

  /**
   * The room for the assistant message `turn`'s results: `turnShare` (default 0.5) of the window,
   * less the message itself and the per-message overhead of its results, in characters.
   */
  static of(turn: AssistantMessage, policy: CompactionPolicy, maxChars: number): TurnRoom {
    const calls = turn.toolCalls?.length ?? 0;
    const tokens = policy.contextTokens * (policy.turnShare ?? 0.5) - estimateMessageTokens(turn) - 4 * calls;
    return new TurnRoom(Math.floor(tokens) * 4, calls, maxChars);
  }

  /** The most characters the next result may keep (its note comes on top). */
  allowance(): number {
    const share = Math.floor(this.#chars / Math.max(1, this.#calls)) - omissionNoteChars;
    return Math.max(minResultChars, Math.min(this.#maxChars, share));
  }

  /** Books a result as shown, of `chars` characters. */
  spend(chars: number): void {
    this.#chars = Math.max(0, this.#chars - chars);
    this.#calls = Math.max(0, this.#calls - 1);
  }
}
