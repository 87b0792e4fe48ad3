import type { LongshotEvent } from "@longshot/core";

interface OpenCall {
  readonly role: string;
  readonly taskId: string | null;
  retry: { readonly attempt: number; readonly endpoint: string; readonly status: number | null } | null;
}

/**
 * What a draining run still waits for, folded from its events: attempts in flight, tasks in
 * review or merging, and open model calls (with their latest retry), so an interrupt can say
 * what it is waiting for instead of going quiet.
 */
export class WaitingFor {
  readonly #busy = new Map<string, string>();
  readonly #calls = new Map<string, OpenCall>();

  apply(event: LongshotEvent): void {
    switch (event.type) {
      case "task-transition":
        if (event.to === "running" || event.to === "review" || event.to === "merging")
          this.#busy.set(event.taskId, event.to === "running" ? "attempt" : event.to);
        else this.#busy.delete(event.taskId);
        break;
      case "model-call-start":
        this.#calls.set(event.callId, { role: event.role, taskId: event.taskId, retry: null });
        break;
      case "model-call-retry": {
        const call = this.#calls.get(event.callId);
        if (call) call.retry = { attempt: event.attempt, endpoint: event.endpoint, status: event.status };
        break;
      }
      case "model-call-end":
        this.#calls.delete(event.callId);
        break;
      case "run-end":
        this.#busy.clear();
        this.#calls.clear();
        break;
      default:
        break;
    }
  }

  /** `2 attempts (t0003, t0007), a planner call (retry 3 at primary, HTTP 503)`, or `nothing`. */
  describe(): string {
    const parts: string[] = [];
    for (const kind of ["attempt", "review", "merging"]) {
      const ids = [...this.#busy].filter(([, what]) => what === kind).map(([id]) => id);
      if (ids.length === 0) continue;
      const noun = kind === "attempt" ? "attempt" : kind === "review" ? "review" : "merge";
      const shown = ids.slice(0, 4).join(", ") + (ids.length > 4 ? ", …" : "");
      parts.push(`${ids.length} ${noun}${ids.length === 1 ? "" : "s"} (${shown})`);
    }
    // Worker calls belong to the attempts above; the rest (planner, judge) are named.
    for (const call of this.#calls.values()) {
      if (
        call.role === "worker" &&
        call.taskId !== null &&
        this.#busy.has(call.taskId) &&
        call.retry === null
      )
        continue;
      const owner = call.taskId === null ? "" : ` for ${call.taskId}`;
      const retry = call.retry
        ? ` (retry ${call.retry.attempt} at ${call.retry.endpoint}${call.retry.status === null ? "" : `, HTTP ${call.retry.status}`})`
        : "";
      parts.push(`a ${call.role} model call${owner}${retry}`);
    }
    return parts.length === 0 ? "nothing more" : parts.join(", ");
  }
}
