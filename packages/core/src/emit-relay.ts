import type { EmitEvent } from "./events.js";

/**
 * Events for an emitter that is not there yet, such as a run's model calls made before the
 * run's log is open: `emit` sends each event to the emitter bound last, and drops it while
 * none is.
 */
export class EmitRelay {
  #target: EmitEvent | null = null;

  /** Sends `event` on to the bound emitter, if any. */
  readonly emit: EmitEvent = (event) => {
    this.#target?.(event);
  };

  /** From now on events go to `target`; null drops them again. */
  bind(target: EmitEvent | null): void {
    this.#target = target;
  }
}
