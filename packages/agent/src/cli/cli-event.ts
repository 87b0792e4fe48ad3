import type { Usage } from "@longshot/core";

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

/** Parses a line as a JSON object, or returns undefined (blank, not JSON, not an object). */
export function parseJsonObject(line: string): unknown {
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
