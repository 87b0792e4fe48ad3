import { z } from "zod";
import { SandboxKindSchema } from "./kind-schemas.js";

/**
 * One configuration variable: how to parse it from text, its default, and its documentation.
 * The list below is the single source of truth for the config type, `.env.example` (a test
 * fails when they drift) and the README's config table.
 */
export interface VariableSpec<T = unknown> {
  readonly name: string;
  readonly group: string;
  readonly description: string;
  /** Human wording of what a valid value looks like, used in error messages. */
  readonly expected: string;
  readonly schema: z.ZodType<T, string>;
  /** Text form of the default, as written in `.env.example`; undefined when unset by default. */
  readonly default: string | undefined;
  readonly secret: boolean;
}

/** One variable's spec; its name and default keep their literal types for the config type. */
export function spec<N extends string, T, D extends string | undefined>(
  name: N,
  group: string,
  schema: z.ZodType<T, string>,
  expected: string,
  defaultText: D,
  description: string,
  secret = false,
): VariableSpec<T> & { readonly name: N; readonly default: D } {
  return { name, group, schema, expected, default: defaultText, description, secret };
}

export const text = z.string().trim().min(1);
export const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
export const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
export const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((value) => value === "true" || value === "1" || value === "yes");
export const url = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }));
/** `host:port` (`[v6]:port` for IPv6), port 1–65535: an address to listen on. */
export const listenAddress = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/)
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65_535;
  }, "the port must be from 1 to 65535");
/**
 * An `https://` URL, or `http://` to a loopback or private address (where the user, not the
 * internet, carries the traffic): the gateway's public address, which per-sandbox tokens cross.
 */
export const gatewayUrl = url.refine((value) => {
  const parsed = new URL(value);
  if (parsed.protocol === "https:") return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host === "::1" ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host)
  );
}, "plain http would carry sandbox gateway tokens in the clear");
export const json = <T>(schema: z.ZodType<T>) =>
  z
    .string()
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const EndpointSchema = z.object({
  name: z.string().min(1),
  endpoint: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().default(""),
  weight: z.number().positive().default(1),
  maxConcurrency: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
  models: z.array(z.string()).optional(),
});
export type EndpointConfig = z.infer<typeof EndpointSchema>;

/** One entry of SANDBOX_ROUTES: a sandbox for tasks whose requirements it provides. */
export const SandboxRouteSchema = z
  .object({
    /** Requirements this route satisfies, such as `network` or `large`. */
    provides: z.array(z.string().trim().min(1)).min(1),
    sandbox: SandboxKindSchema,
    /** Limits on top of the run's SANDBOX_* settings. */
    network: z.boolean().optional(),
    cpuCores: z.number().min(0.1).max(256).optional(),
    memoryMb: z.number().int().min(64).max(1_048_576).optional(),
  })
  .strict();
export type SandboxRoute = z.infer<typeof SandboxRouteSchema>;

export const PriceSchema = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cached: z.number().min(0).optional(),
});
export type Price = z.infer<typeof PriceSchema>;

export const McpServerSchema = z.union([
  z.object({ name: z.string().min(1), command: z.string().min(1), args: z.array(z.string()).default([]) }),
  z.object({ name: z.string().min(1), url: z.url() }),
]);
export type McpServerConfig = z.infer<typeof McpServerSchema>;

export const duration = "a whole number of seconds";
