import { z } from "zod";

/**
 * Plain text of any content shape: a string, or parts carrying `text` (nested `content` too).
 * Images and files, which the chat shape cannot carry, become a short placeholder.
 */
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
    if ("type" in content && typeof content.type === "string" && /image|file|document/.test(content.type))
      return `[${content.type} omitted]`;
  }
  return "";
}

/** A JSON Schema object, or an empty object schema for anything else. */
export function schemaOf(value: unknown): Readonly<Record<string, unknown>> {
  const result = z.record(z.string(), z.unknown()).safeParse(value);
  return result.success ? result.data : { type: "object", properties: {} };
}
