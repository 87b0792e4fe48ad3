import { AbortError, messageOf } from "@longshot/core";
import { z } from "zod";
import type { Omission } from "../truncate-output.js";
import type { AgentTool, JsonSchema, ToolContext, ToolResult } from "./agent-tool.js";

/** A tool written against typed, already validated input. */
export interface ToolDefinition<Input> {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<Input>;
  /** See {@link AgentTool.readOnly}. */
  readonly readOnly?: boolean;
  /** Returns the output text, or a full result; throwing turns into a failed result. */
  execute(input: Input, context: ToolContext): Promise<string | ToolResult>;
  /** See {@link AgentTool.omissionNote}; given the call's validated input. */
  omissionNote?(input: Input, omission: Omission): string;
}

/**
 * Builds an {@link AgentTool} from a zod schema: the schema yields the JSON Schema the model
 * sees and validates every call. Invalid JSON, arguments that do not match, and errors thrown by
 * `execute` (sandbox guard refusals included) become failed results naming the problem. Only
 * cancellation propagates, as `AbortError`.
 */
export function defineTool<Input>(definition: ToolDefinition<Input>): AgentTool {
  const parameters = toJsonSchema(definition.input);
  const { omissionNote } = definition;
  return {
    name: definition.name,
    description: definition.description,
    parameters,
    ...(definition.readOnly === true ? { readOnly: true } : {}),
    ...(omissionNote === undefined
      ? {}
      : {
          omissionNote(rawArguments: string) {
            const parsed = parseArguments(rawArguments, definition.input);
            return parsed.ok ? (omission: Omission) => omissionNote(parsed.value, omission) : undefined;
          },
        }),
    async call(rawArguments: string, context: ToolContext): Promise<ToolResult> {
      const parsed = parseArguments(rawArguments, definition.input);
      if (!parsed.ok) return { ok: false, output: parsed.error };
      try {
        const result = await definition.execute(parsed.value, context);
        return typeof result === "string" ? { ok: true, output: result } : result;
      } catch (error) {
        if (context.signal.aborted || error instanceof AbortError) throw toAbortError(error, context.signal);
        return { ok: false, output: `Error: ${messageOf(error)}` };
      }
    },
  };
}

/** The JSON Schema of a zod schema's input, without the `$schema` key models reject. */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses a model's argument text (JSON) against a schema; the error says what to fix. */
export function parseArguments<T>(rawArguments: string, schema: z.ZodType<T>): Parsed<T> {
  const json = parseJsonArguments(rawArguments);
  if (!json.ok) return json;
  const result = schema.safeParse(json.value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: `Invalid arguments: ${z.prettifyError(result.error)}` };
}

/**
 * Reads a model's argument text as JSON, not yet checked against any schema; empty text is
 * `{}`. The error tells the model to send a JSON object.
 */
export function parseJsonArguments(rawArguments: string): Parsed<unknown> {
  try {
    return { ok: true, value: rawArguments.trim() === "" ? {} : JSON.parse(rawArguments) };
  } catch (error) {
    return {
      ok: false,
      error: `Invalid arguments: not valid JSON (${messageOf(error)}). Send a JSON object.`,
    };
  }
}

function toAbortError(error: unknown, signal: AbortSignal): AbortError {
  if (error instanceof AbortError) return error;
  return new AbortError(undefined, { cause: signal.reason ?? error });
}
