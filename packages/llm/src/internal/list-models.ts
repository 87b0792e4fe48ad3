import type { Clock } from "@longshot/core";
import { z } from "zod";

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string() }).loose()) }).loose();

/** What `GET {base}/models` said. */
export interface ModelListing {
  readonly ok: boolean;
  /** HTTP status, or `null` when no response came. */
  readonly status: number | null;
  readonly models: readonly string[];
  /** Time to the full response. */
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface ListModelsOptions {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/**
 * Asks an OpenAI-compatible endpoint for its models. Never throws for what the endpoint does;
 * rejects only when `signal` aborts.
 */
export async function listModels(
  baseUrl: string,
  apiKey: string,
  options: ListModelsOptions,
): Promise<ModelListing> {
  const { clock } = options;
  const controller = new AbortController();
  const stopTimer = new AbortController();
  const forward = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener("abort", forward, { once: true });
  clock.sleep(options.timeoutMs, stopTimer.signal).then(
    () => controller.abort(new Error("timeout")),
    () => {},
  );
  const started = clock.now();
  const elapsed = (): number => clock.now() - started;
  try {
    const response = await options.fetch(`${baseUrl.replace(/\/+$/, "")}/models`, {
      headers: apiKey === "" ? {} : { authorization: `Bearer ${apiKey}` },
      signal: controller.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const error = `HTTP ${response.status}${text === "" ? "" : `: ${text.slice(0, 200)}`}`;
      return { ok: false, status: response.status, models: [], latencyMs: elapsed(), error };
    }
    const parsed = ModelListSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      const error = "the reply is not an OpenAI model list";
      return { ok: false, status: response.status, models: [], latencyMs: elapsed(), error };
    }
    const models = parsed.data.data.map((entry) => entry.id);
    return { ok: true, status: response.status, models, latencyMs: elapsed(), error: null };
  } catch (error) {
    options.signal.throwIfAborted();
    const reason = controller.signal.aborted ? `no answer within ${options.timeoutMs}ms` : describe(error);
    return { ok: false, status: null, models: [], latencyMs: elapsed(), error: reason };
  } finally {
    stopTimer.abort();
    options.signal.removeEventListener("abort", forward);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
