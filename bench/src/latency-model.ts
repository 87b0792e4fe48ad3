/**
 * The model's latency in the benchmark: each call waits a lognormal time before its reply. The
 * draw is a pure function of (seed, key), where the key names the call by role, task and the
 * call's index among that task's calls of that role, so a task sees the same latencies whatever
 * order the swarm's calls reach the server in, and a rerun with the same seed sees the same draws.
 */
export interface LatencyModel {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly seed: number;
  /** Draws below this are raised to it (no limit when absent). */
  readonly minMs?: number;
  /** Draws above this are lowered to it (no limit when absent). */
  readonly maxMs?: number;
}

/** z of the 95th percentile of the standard normal distribution. */
const z95 = 1.6448536269514722;

/** The default: median 400 ms, p95 1.5 s. */
export const defaultLatencyModel: LatencyModel = { medianMs: 400, p95Ms: 1_500, seed: 20_261_121 };

/**
 * Real coding agents' calls: 5 to 60 s each (median 12 s, p95 40 s), as long-context calls with
 * tool use take on hosted models.
 */
export const realAgentLatencyModel: LatencyModel = {
  medianMs: 12_000,
  p95Ms: 40_000,
  minMs: 5_000,
  maxMs: 60_000,
  seed: 20_261_205,
};

/** σ of the underlying normal distribution, from the median and the 95th percentile. */
export function lognormalSigma(model: LatencyModel): number {
  if (!(model.medianMs > 0) || !(model.p95Ms > model.medianMs)) {
    throw new RangeError("the latency model needs 0 < median < p95");
  }
  return Math.log(model.p95Ms / model.medianMs) / z95;
}

/** Mean of the lognormal distribution, in milliseconds. */
export function lognormalMeanMs(model: LatencyModel): number {
  const sigma = lognormalSigma(model);
  return model.medianMs * Math.exp((sigma * sigma) / 2);
}

/** cyrb53: a fast, well-mixed 53-bit string hash. */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A uniform number in (0, 1) for `key`, never 0 so its logarithm is finite. */
export function uniformFor(seed: number, key: string): number {
  return (hash53(key, seed) + 0.5) / 2 ** 53;
}

/** The latency of the call named `key`, in whole milliseconds. */
export function drawLatencyMs(model: LatencyModel, key: string): number {
  const sigma = lognormalSigma(model);
  // Box–Muller from two independent uniforms of the same key.
  const u1 = uniformFor(model.seed, key);
  const u2 = uniformFor(model.seed ^ 0x5bd1e995, key);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const drawn = model.medianMs * Math.exp(sigma * z);
  return Math.round(Math.min(model.maxMs ?? drawn, Math.max(model.minMs ?? drawn, drawn)));
}

/** The key of a model call: its role, its task (or `-`) and its index among those calls. */
export function callKey(role: string, taskId: string | null, index: number): string {
  return `${role}|${taskId ?? "-"}|${index}`;
}

/** One sentence stating the model, for the results and the README. */
export function describeLatencyModel(model: LatencyModel): string {
  const sigma = lognormalSigma(model);
  const clamp =
    model.minMs === undefined && model.maxMs === undefined
      ? ""
      : `, held to ${model.minMs ?? 0}–${model.maxMs ?? "∞"} ms`;
  return `per-call latency lognormal, median ${model.medianMs} ms, p95 ${model.p95Ms} ms (σ ${sigma.toFixed(3)}, mean ${Math.round(lognormalMeanMs(model))} ms${clamp}), drawn from a seeded hash of (seed ${model.seed}, role, task, call index), so every task sees the same draws in any run`;
}
