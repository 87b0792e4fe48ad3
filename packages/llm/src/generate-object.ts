import type { ChatMessage } from "@longshot/wire";
import { z } from "zod";
import type { LanguageModel, ObjectOptions, ObjectResult } from "./language-model.js";
import type { CallOptions, ModelRequest } from "./model-request.js";
import type { Completion } from "./model-result.js";

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Structured output over any `LanguageModel`: the JSON Schema of `schema` goes into the prompt
 * and, for endpoints that accept it, into `response_format`. The reply is parsed and validated;
 * an invalid one gets one repair round that shows the model what was wrong, and a second
 * invalid reply is an `invalid-output` result. Budget refusals and call failures of either
 * round are returned as they are. Throws `AbortError` when cancelled.
 */
export async function generateObject<S extends z.ZodType>(
  model: LanguageModel,
  schema: S,
  request: ModelRequest,
  options: ObjectOptions,
): Promise<ObjectResult<z.output<S>>> {
  const { schemaName = "result", ...callOptions } = options;
  const jsonSchema = schemaFor(schema);
  const first: ModelRequest = {
    ...request,
    messages: withInstruction(request.messages, jsonSchema),
    responseFormat: { name: schemaName, schema: jsonSchema },
  };
  const initial = await model.complete(first, callOptions satisfies CallOptions);
  if (!initial.ok) return initial;
  const parsed = parseReply(schema, initial.text);
  if (parsed.ok) return { ok: true, value: parsed.value, repaired: false, completions: [initial] };

  const repair: ModelRequest = {
    ...first,
    messages: [
      ...first.messages,
      initial.message,
      {
        role: "user",
        content: `That reply is not valid: ${parsed.error}\nReply again with only the corrected JSON value.`,
      },
    ],
  };
  const second = await model.complete(repair, callOptions);
  if (!second.ok) return second;
  const reparsed = parseReply(schema, second.text);
  const completions: readonly Completion[] = [initial, second];
  if (reparsed.ok) return { ok: true, value: reparsed.value, repaired: true, completions };
  return { ok: false, kind: "invalid-output", error: reparsed.error, output: second.text, completions };
}

function schemaFor(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

/** Adds the output instruction to the leading system message (some chat templates allow only one). */
function withInstruction(
  messages: readonly ChatMessage[],
  jsonSchema: Record<string, unknown>,
): ChatMessage[] {
  const instruction =
    "Reply with only one JSON value that matches this JSON Schema, with no other text and no code fence:\n" +
    JSON.stringify(jsonSchema);
  const [head, ...rest] = messages;
  if (head?.role === "system")
    return [{ role: "system", content: `${head.content}\n\n${instruction}` }, ...rest];
  return [{ role: "system", content: instruction }, ...messages];
}

/** Parses the JSON in a reply (a code fence around it is tolerated) and validates it. */
export function parseReply<S extends z.ZodType>(schema: S, text: string): Parsed<z.output<S>> {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(trimmed);
  const candidate = fenced?.[1]?.trim() ?? trimmed;
  if (candidate === "") return { ok: false, error: "the reply was empty; expected a JSON value" };
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, error: `it is not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: `it does not match the schema:\n${z.prettifyError(result.error)}` };
}
