import type { Usage } from "@longshot/core";
import type { z } from "zod";

/**
 * What an external coding CLI reported, normalized across CLIs: text the agent wrote, a tool it
 * started or finished, tokens it used (to add to the attempt's total), or an error it hit.
 */
export type CliEvent =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "tool-start"; readonly callId: string; readonly tool: string; readonly input: string }
  | {
      readonly kind: "tool-end";
      readonly callId: string;
      readonly tool: string;
      readonly ok: boolean;
      readonly output: string;
    }
  | { readonly kind: "usage"; readonly usage: Usage }
  | { readonly kind: "error"; readonly message: string };

/**
 * Turns one CLI's JSONL output into {@link CliEvent}s, one line at a time. Lines that are not
 * JSON objects, and event types the parser does not know, yield nothing: CLIs add event types
 * between versions and some print diagnostics on stdout.
 */
export interface CliEventParser {
  parseLine(line: string): CliEvent[];
}

/**
 * The parser every CLI's JSONL gets: each line is read as a JSON object and validated with the
 * CLI's `schema` of the events it knows; what passes goes to `toEvents`, anything else (not JSON,
 * an unknown or malformed event) yields nothing.
 */
export function jsonLineParser<Line>(
  schema: z.ZodType<Line>,
  toEvents: (line: Line) => CliEvent[],
): CliEventParser {
  return {
    parseLine(line: string): CliEvent[] {
      const parsed = schema.safeParse(parseJsonObject(line));
      return parsed.success ? toEvents(parsed.data) : [];
    },
  };
}

/**
 * A `usage` event from counts that leave the cache out of `input` (as Anthropic, OpenCode and Pi
 * report them): the prompt is the fresh input plus the cache reads and writes.
 */
export function usageEvent(tokens: {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}): CliEvent {
  return {
    kind: "usage",
    usage: {
      promptTokens: tokens.input + tokens.cacheRead + tokens.cacheWrite,
      completionTokens: tokens.output,
      cachedTokens: tokens.cacheRead,
    },
  };
}

/** Parses a line as a JSON object, or returns undefined (blank, not JSON, not an object). */
function parseJsonObject(line: string): unknown {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** Arguments or inputs as the one-line text a `tool-call-start` event carries. */
export function inputText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value ?? {});
}
