// Temporary mirror of the parts of @longshot/llm the planner uses, until its index exports them.
import type { Role } from "@longshot/core";
import type { z } from "zod";

export type ChatMessage =
  | { readonly role: "system"; readonly content: string }
  | { readonly role: "user"; readonly content: string }
  | { readonly role: "assistant"; readonly content: string };

export interface ModelRequest {
  readonly messages: readonly ChatMessage[];
  readonly maxTokens?: number;
}

export interface ObjectOptions {
  readonly role: Role;
  readonly runId: string;
  readonly taskId?: string;
  readonly signal: AbortSignal;
  readonly schemaName?: string;
}

export type ObjectResult<T> =
  | {
      readonly ok: true;
      readonly value: T;
      readonly repaired: boolean;
      readonly completions: readonly { readonly message: ChatMessage }[];
    }
  | { readonly ok: false; readonly kind: "invalid-output"; readonly error: string; readonly output: string }
  | { readonly ok: false; readonly kind: "budget"; readonly message: string }
  | { readonly ok: false; readonly kind: "failed"; readonly error: string };

export interface LanguageModel {
  generateObject<S extends z.ZodType>(
    schema: S,
    request: ModelRequest,
    options: ObjectOptions,
  ): Promise<ObjectResult<z.output<S>>>;
}
