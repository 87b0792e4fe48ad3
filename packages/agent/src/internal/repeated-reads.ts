import type { ToolCall } from "@longshot/llm";

interface SeenResult {
  readonly output: string;
  readonly callId: string;
  repeats: number;
}

/**
 * Remembers the results of read-only calls still in the conversation, so a call repeated with
 * the same arguments and the same result (a file read again, unchanged) shows the model a short
 * reference to the result above instead of a second copy: re-reading does not fill the window,
 * and a model reading in circles is told so. Compaction may fold earlier results away, so the
 * loop calls `forget` after each one; the next read then shows the content again.
 */
export class RepeatedReads {
  readonly #seen = new Map<string, SeenResult>();

  /** The text the model sees for a read-only call's result. */
  shown(call: ToolCall, output: string): string {
    const key = `${call.name}\u0000${call.arguments.trim()}`;
    const seen = this.#seen.get(key);
    if (seen === undefined || seen.output !== output) {
      this.#seen.set(key, { output, callId: call.id, repeats: 0 });
      return output;
    }
    seen.repeats += 1;
    const reference = `Unchanged: your earlier ${call.name} call ${seen.callId}, with the same arguments, gave exactly this result, and it is still above in this conversation; use it from there.`;
    return seen.repeats < 2
      ? reference
      : `${reference} You have now made this call ${seen.repeats + 1} times: act on what it showed (edit, run the checks), or call finish if you are stuck.`;
  }

  /** Forgets every result (after compaction, when earlier results may be gone from the context). */
  forget(): void {
    this.#seen.clear();
  }
}
