import { z } from "zod";

/** A request body its protocol does not accept; a server answers it with HTTP 400. */
export class WireRequestError extends Error {}

/**
 * Parses with a zod schema, turning a mismatch into a {@link WireRequestError} whose message
 * names every field that is wrong.
 */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new WireRequestError(`Invalid request body: ${z.prettifyError(result.error)}`);
  return result.data;
}
