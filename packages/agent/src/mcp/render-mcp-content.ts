import { z } from "zod";

const ContentSchema = z.array(
  z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    mimeType: z.string().optional(),
    resource: z.looseObject({ uri: z.string(), text: z.string().optional() }).optional(),
    uri: z.string().optional(),
  }),
);

/**
 * An MCP tool result as text for the model: text parts joined, resources by their text or URI,
 * binary parts by their kind only, structured content as JSON when there is no text.
 */
export function renderMcpContent(result: Readonly<Record<string, unknown>>): string {
  const parsed = ContentSchema.safeParse(result.content);
  const parts = parsed.success ? parsed.data.map(renderPart) : [];
  if (parts.length === 0 && result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent);
  if (parts.length === 0 && result.toolResult !== undefined) return JSON.stringify(result.toolResult);
  return parts.join("\n");
}

function renderPart(part: z.infer<typeof ContentSchema>[number]): string {
  switch (part.type) {
    case "text":
      return part.text ?? "";
    case "resource":
      return part.resource?.text ?? `[resource ${part.resource?.uri ?? ""}]`;
    case "resource_link":
      return `[resource ${part.uri ?? ""}]`;
    default:
      return `[${part.type}${part.mimeType ? ` ${part.mimeType}` : ""}]`;
  }
}
