import { z } from "zod";
import type { FakeMessage, FakeTool } from "../fake-request.js";

/** The protocol-specific part of a request, normalized. */
export interface ParsedBody {
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly FakeMessage[];
  readonly tools: readonly FakeTool[];
  readonly maxOutputTokens: number | undefined;
}

/** A request body the fake server refuses with HTTP 400, as the real API would. */
export class BadRequestError extends Error {}

/** Parses with a zod schema, turning a mismatch into a {@link BadRequestError}. */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestError(`Invalid request body: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** Plain text of any content shape: a string, or parts carrying `text` (or nested `content`). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map(textOf)
      .filter((text) => text !== "")
      .join("\n");
  if (typeof content === "object" && content !== null) {
    if ("text" in content && typeof content.text === "string") return content.text;
    if ("content" in content) return textOf(content.content);
  }
  return "";
}

/** A JSON Schema object, or `{}` for anything else. */
export function schemaOf(value: unknown): Readonly<Record<string, unknown>> {
  const result = z.record(z.string(), z.unknown()).safeParse(value);
  return result.success ? result.data : {};
}

/** Builds a message without writing `undefined` into optional fields. */
export function message(
  role: FakeMessage["role"],
  content: string,
  extra: { toolCalls?: FakeMessage["toolCalls"] | undefined; toolCallId?: string | undefined } = {},
): FakeMessage {
  return {
    role,
    content,
    ...(extra.toolCalls !== undefined && extra.toolCalls.length > 0 ? { toolCalls: extra.toolCalls } : {}),
    ...(extra.toolCallId !== undefined ? { toolCallId: extra.toolCallId } : {}),
  };
}
