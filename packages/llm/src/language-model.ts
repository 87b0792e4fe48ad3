import type { z } from "zod";
import type { CallOptions, ModelRequest } from "./model-request.js";
import type { BudgetRefusal, CallFailure, Completion, CompletionResult, ModelDelta } from "./model-result.js";

/** The model's reply could not be turned into a valid value, even after one repair round. */
export interface InvalidOutput {
  readonly ok: false;
  readonly kind: "invalid-output";
  /** What was wrong with the last reply (JSON syntax or schema violations). */
  readonly error: string;
  /** The last reply's text. */
  readonly output: string;
  /** Both completions (the first and the repair round). */
  readonly completions: readonly Completion[];
}

/** A value that matches the schema. */
export interface ObjectValue<T> {
  readonly ok: true;
  readonly value: T;
  /** True when the first reply was invalid and the repair round fixed it. */
  readonly repaired: boolean;
  readonly completions: readonly Completion[];
}

/** What `generateObject` returns. */
export type ObjectResult<T> = ObjectValue<T> | InvalidOutput | BudgetRefusal | CallFailure;

/** Options of `generateObject`: the call's options plus a name for the schema. */
export interface ObjectOptions extends CallOptions {
  /** Name of the schema as sent to the model (letters, digits, `_`, `-`); default `result`. */
  readonly schemaName?: string;
}

/**
 * A chat model, as every role sees it. Implementations decide routing, retries and accounting;
 * callers see replies, typed expected failures, and cancellation.
 */
export interface LanguageModel {
  /**
   * Streams one call. Yields text, tool-call and usage deltas, a `retry` delta whenever an
   * attempt fails and the call starts over, and always ends with one `finish` delta holding the
   * result. Throws `AbortError` when `options.signal` aborts; breaking out of the loop cancels
   * the call.
   */
  stream(request: ModelRequest, options: CallOptions): AsyncIterable<ModelDelta>;
  /** The whole reply of one call; the result of `stream`'s `finish` delta. Throws `AbortError`. */
  complete(request: ModelRequest, options: CallOptions): Promise<CompletionResult>;
  /**
   * Asks for JSON matching `schema` and parses it. An invalid reply gets one repair round with
   * the validation error; a second invalid reply is an `invalid-output` result. Throws
   * `AbortError`.
   */
  generateObject<S extends z.ZodType>(
    schema: S,
    request: ModelRequest,
    options: ObjectOptions,
  ): Promise<ObjectResult<z.output<S>>>;
}
