import type { Role } from "@longshot/core";
import type { ChatMessage, LanguageModel } from "@longshot/llm";
import type { z } from "zod";
import type { PromptLibrary } from "../prompt-library.js";

/** Why a model call produced nothing usable. */
export type AskFailureKind = "invalid-plan" | "invalid-output" | "budget" | "failed";

/**
 * How a planning step can come to nothing: its reply was still invalid after the repair round
 * (`rejected`), or the model call failed (`failed`: the budget, or the transport).
 */
export type StepFailure =
  | { readonly kind: "rejected"; readonly problems: readonly string[] }
  | { readonly kind: "failed"; readonly cause: "budget" | "failed"; readonly problems: readonly string[] };

export type Verdict<R> =
  | { readonly ok: true; readonly resolved: R }
  | { readonly ok: false; readonly problems: readonly string[] };

export type AskResult<T, R> =
  | { readonly ok: true; readonly value: T; readonly resolved: R; readonly repaired: boolean }
  | { readonly ok: false; readonly kind: AskFailureKind; readonly problems: readonly string[] };

export interface AskRequest<S extends z.ZodType, R> {
  readonly model: LanguageModel;
  readonly prompts: PromptLibrary;
  readonly schema: S;
  readonly schemaName: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly role: Role;
  readonly runId: string;
  readonly taskId?: string | undefined;
  readonly signal: AbortSignal;
  /** Checks the parsed value beyond its schema (cycles, scopes, …). */
  readonly validate: (value: z.output<S>) => Verdict<R>;
}

/**
 * Asks for a structured reply and validates it. A reply with problems gets exactly one repair
 * round that quotes the problems; a second invalid reply is an `invalid-plan` failure with the
 * second round's problems. Schema errors are repaired inside the model client. Throws
 * `AbortError` when the signal aborts.
 */
export async function askModel<S extends z.ZodType, R>(
  request: AskRequest<S, R>,
): Promise<AskResult<z.output<S>, R>> {
  const first = await call(request, request.messages);
  if (!first.ok) return first;
  const verdict = request.validate(first.value);
  if (verdict.ok) return { ok: true, value: first.value, resolved: verdict.resolved, repaired: false };
  const repairMessages: ChatMessage[] = [
    ...request.messages,
    { role: "assistant", content: first.text },
    {
      role: "user",
      content: request.prompts.render("repair", {
        count: verdict.problems.length,
        problems: verdict.problems.map((problem) => `- ${problem}`).join("\n"),
      }),
    },
  ];
  const second = await call(request, repairMessages);
  if (!second.ok) return second;
  const retried = request.validate(second.value);
  if (retried.ok) return { ok: true, value: second.value, resolved: retried.resolved, repaired: true };
  return { ok: false, kind: "invalid-plan", problems: retried.problems };
}

type CallResult<T> =
  | { readonly ok: true; readonly value: T; readonly text: string }
  | { readonly ok: false; readonly kind: AskFailureKind; readonly problems: readonly string[] };

async function call<S extends z.ZodType, R>(
  request: AskRequest<S, R>,
  messages: readonly ChatMessage[],
): Promise<CallResult<z.output<S>>> {
  const result = await request.model.generateObject(
    request.schema,
    { messages, maxTokens: request.maxTokens },
    {
      role: request.role,
      runId: request.runId,
      signal: request.signal,
      schemaName: request.schemaName,
      ...(request.taskId === undefined ? {} : { taskId: request.taskId }),
    },
  );
  if (result.ok) {
    const last = result.completions.at(-1)?.message.content;
    return {
      ok: true,
      value: result.value,
      text: last !== undefined && last !== "" ? last : JSON.stringify(result.value),
    };
  }
  switch (result.kind) {
    case "invalid-output":
      return {
        ok: false,
        kind: "invalid-output",
        problems: [`The reply did not match the schema: ${result.error}`],
      };
    case "budget":
      return { ok: false, kind: "budget", problems: [result.message] };
    case "failed":
      return { ok: false, kind: "failed", problems: [result.error] };
  }
}
