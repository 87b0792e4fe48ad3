import { z } from "zod";
import { type CliEvent, type CliEventParser, inputText, jsonLineParser, usageEvent } from "./cli-event.js";

const ToolStateSchema = z.looseObject({
  status: z.string(),
  input: z.unknown().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
});

const OpenCodeLineSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), part: z.looseObject({ text: z.string() }) }),
  z.looseObject({
    type: z.literal("tool_use"),
    part: z.looseObject({ callID: z.string(), tool: z.string(), state: ToolStateSchema }),
  }),
  z.looseObject({
    type: z.literal("step_finish"),
    part: z.looseObject({
      tokens: z
        .looseObject({
          input: z.number().default(0),
          output: z.number().default(0),
          reasoning: z.number().default(0),
          cache: z.looseObject({ read: z.number().default(0), write: z.number().default(0) }).optional(),
        })
        .optional(),
    }),
  }),
  z.looseObject({ type: z.literal("error"), error: z.unknown() }),
]);

const ErrorSchema = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  data: z.looseObject({ message: z.string().optional() }).optional(),
});

/**
 * Parser for `opencode run --format json` (`text` parts, `tool_use` parts with their state,
 * `step_finish` with token counts, `error`). A tool part is reported once it has finished
 * (completed or error); its start is reported at the same time when no running state was seen.
 */
export function createOpenCodeParser(): CliEventParser {
  const started = new Set<string>();
  return jsonLineParser(OpenCodeLineSchema, (event) => {
    switch (event.type) {
      case "text":
        return event.part.text ? [{ kind: "text", text: event.part.text }] : [];
      case "tool_use":
        return toolEvents(event.part, started);
      case "step_finish": {
        const tokens = event.part.tokens;
        if (!tokens) return [];
        return [
          usageEvent({
            input: tokens.input,
            output: tokens.output + tokens.reasoning,
            cacheRead: tokens.cache?.read ?? 0,
            cacheWrite: tokens.cache?.write ?? 0,
          }),
        ];
      }
      case "error":
        return [{ kind: "error", message: errorMessage(event.error) }];
    }
  });
}

function toolEvents(
  part: { callID: string; tool: string; state: z.infer<typeof ToolStateSchema> },
  started: Set<string>,
): CliEvent[] {
  const events: CliEvent[] = [];
  if (!started.has(part.callID)) {
    started.add(part.callID);
    events.push({
      kind: "tool-start",
      callId: part.callID,
      tool: part.tool,
      input: inputText(part.state.input),
    });
  }
  if (part.state.status === "completed" || part.state.status === "error") {
    const ok = part.state.status === "completed";
    const output = ok ? (part.state.output ?? "") : (part.state.error ?? part.state.output ?? "tool failed");
    events.push({ kind: "tool-end", callId: part.callID, tool: part.tool, ok, output });
  }
  return events;
}

function errorMessage(error: unknown): string {
  const parsed = ErrorSchema.safeParse(error);
  if (!parsed.success) return inputText(error);
  return parsed.data.data?.message ?? parsed.data.message ?? parsed.data.name ?? "unknown error";
}
