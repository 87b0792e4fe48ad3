import { z } from "zod";
import type { FakeContentReply, FakeReply, FakeUsage } from "../fake-reply.js";

const count = z.number().int().nonnegative();

const UsageSchema: z.ZodType<FakeUsage> = z.strictObject({
  inputTokens: count.exactOptional(),
  outputTokens: count.exactOptional(),
  cachedInputTokens: count.exactOptional(),
});

const TextReplySchema = z.strictObject({
  text: z.string(),
  usage: UsageSchema.exactOptional(),
  truncated: z.boolean().exactOptional(),
});

const ToolCallsReplySchema = z.strictObject({
  toolCalls: z.array(
    z.strictObject({
      name: z.string().min(1),
      arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
      id: z.string().min(1).exactOptional(),
    }),
  ),
  text: z.string().exactOptional(),
  usage: UsageSchema.exactOptional(),
});

const ContentReplySchema: z.ZodType<FakeContentReply> = z.union([TextReplySchema, ToolCallsReplySchema]);

/** Validates a reply from a policy; the server checks every reply before rendering it. */
export const FakeReplySchema: z.ZodType<FakeReply> = z.union([
  ContentReplySchema,
  z.strictObject({
    fault: z.literal("rate-limit"),
    retryAfterSeconds: count,
    headers: z.record(z.string(), z.string()).exactOptional(),
  }),
  z.strictObject({
    fault: z.literal("server-error"),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
    message: z.string().exactOptional(),
  }),
  z.strictObject({
    fault: z.literal("delay"),
    ms: count,
    get reply(): z.ZodType<FakeReply> {
      return FakeReplySchema;
    },
  }),
  z.strictObject({
    fault: z.literal("delay"),
    ms: count,
    // biome-ignore lint/suspicious/noThenProperty: `then` holds a reply object, never a function.
    get then(): z.ZodType<FakeReply> {
      return FakeReplySchema;
    },
  }),
  z.strictObject({ fault: z.literal("hang") }),
  z.strictObject({
    fault: z.literal("cut"),
    afterChunks: count,
    reply: ContentReplySchema.exactOptional(),
  }),
  z.strictObject({ fault: z.literal("malformed-json") }),
]);
