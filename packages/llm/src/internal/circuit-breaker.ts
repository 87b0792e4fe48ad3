/** `closed`: traffic flows. `open`: cooling down, no traffic. `half-open`: one trial call allowed. */
export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** First cool-down; doubles after each failed trial, up to `maxCooldownMs`. */
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

/**
 * Takes an endpoint out after repeated failures and lets one trial call through after a
 * cool-down: a successful trial closes the circuit, a failed one reopens it for longer.
 * Time comes from the caller, so the breaker is a pure state machine.
 */
export class CircuitBreaker {
  readonly #options: CircuitOptions;
  #failures = 0;
  #openUntil = 0;
  #cooldownMs: number;
  #state: CircuitState = "closed";
  #trialInFlight = false;

  constructor(options: CircuitOptions) {
    this.#options = options;
    this.#cooldownMs = options.cooldownMs;
  }

  /** The state at `now` (an open circuit whose cool-down is over reports `half-open`). */
  state(now: number): CircuitState {
    if (this.#state === "open" && now >= this.#openUntil) return "half-open";
    return this.#state;
  }

  /** Whether a call may be routed here at `now`. */
  allows(now: number): boolean {
    const state = this.state(now);
    return state === "closed" || (state === "half-open" && !this.#trialInFlight);
  }

  /** When an open circuit lets its trial call through. */
  get openUntil(): number {
    return this.#openUntil;
  }

  /** A call was routed here; in half-open state it is the trial. */
  onDispatch(now: number): void {
    if (this.state(now) === "half-open") {
      this.#state = "half-open";
      this.#trialInFlight = true;
    }
  }

  onSuccess(): void {
    this.#failures = 0;
    this.#state = "closed";
    this.#trialInFlight = false;
    this.#cooldownMs = this.#options.cooldownMs;
  }

  onFailure(now: number): void {
    if (this.#state === "half-open") {
      this.#trialInFlight = false;
      this.#cooldownMs = Math.min(this.#cooldownMs * 2, this.#options.maxCooldownMs);
      this.#open(now);
      return;
    }
    this.#failures += 1;
    if (this.#state === "closed" && this.#failures >= this.#options.failureThreshold) this.#open(now);
  }

  /** A call routed here ended without saying anything about the endpoint (cancelled, 4xx). */
  onNeutral(): void {
    this.#trialInFlight = false;
    if (this.#state === "half-open") this.#state = "open";
  }

  #open(now: number): void {
    this.#state = "open";
    this.#openUntil = now + this.#cooldownMs;
  }
}
