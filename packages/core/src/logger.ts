import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type DestinationStream, type Logger, pino } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** JSON lines are appended here when set. */
  readonly file?: string;
  /** Human-readable lines on this stream (stderr on a TTY, typically). */
  readonly pretty?: NodeJS.WritableStream;
  /** JSON lines to this stream (for example a test buffer). */
  readonly json?: NodeJS.WritableStream;
  readonly level?: "debug" | "info" | "warn" | "error";
  /** Secret values that must never appear in a log line. */
  readonly secrets?: readonly string[];
  /**
   * Called once when `file` cannot be written (a full disk, for instance); the file's lines stop
   * there and the logger goes on with its other streams. Without it the error is only dropped:
   * a log that cannot be written never ends the process.
   */
  readonly onFileError?: (error: Error) => void;
}

const secretKey = /(api[-_]?key|token|secret|password|authorization|cookie|credential)/i;
const REDACTED = "[redacted]";

/** Replaces values under secret-looking keys, at any depth. */
export function redactKeys(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    result[key] =
      secretKey.test(key) && inner !== undefined && inner !== "" ? REDACTED : redactKeys(inner, depth + 1);
  }
  return result;
}

/** Replaces every occurrence of a known secret value in a line of text. */
export function redactValues(line: string, secrets: readonly string[]): string {
  let result = line;
  for (const secret of secrets) {
    if (secret.length >= 6 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * Creates the run logger: pino JSON lines to a file, pretty lines to a terminal, secrets
 * redacted by key (api keys, tokens, authorization headers) and by value (every configured
 * secret, wherever it appears in a line).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const streams: { stream: DestinationStream; level?: string }[] = [];
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    const file = createWriteStream(options.file, { flags: "a" });
    let failed = false;
    file.on("error", (error) => {
      if (failed) return;
      failed = true;
      options.onFileError?.(error);
    });
    streams.push({ stream: file });
  }
  if (options.json) streams.push({ stream: options.json as DestinationStream });
  if (options.pretty) {
    streams.push({
      stream: pretty({
        destination: options.pretty,
        colorize: false,
        sync: true,
        ignore: "pid,hostname",
        translateTime: "HH:MM:ss",
      }),
    });
  }
  const secrets = [...(options.secrets ?? [])].sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level ?? "info",
      base: null,
      formatters: {
        log: (object) => redactKeys(object) as Record<string, unknown>,
      },
      hooks: {
        streamWrite: (line) => redactValues(line, secrets),
      },
    },
    streams.length === 0 ? pino.destination({ dest: "/dev/null", sync: true }) : pino.multistream(streams),
  );
}

/** A logger that drops everything, for library defaults and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
