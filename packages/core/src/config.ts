import { readFileSync } from "node:fs";
import { type Config, type VariableName, type VariableSpec, variableSpecs } from "./config-spec.js";
import { UserErrors } from "./errors.js";

/** Raw text values by variable name, from one source. */
export type ConfigSource = Readonly<Record<string, string | undefined>>;

export interface ConfigSources {
  /** Highest precedence: values from command-line flags, keyed by variable name. */
  readonly flags?: ConfigSource;
  /** The process environment. */
  readonly env?: ConfigSource;
  /** Values from a `.env` file in the working directory. */
  readonly dotenv?: ConfigSource;
}

/** Where a resolved value came from. */
export type ConfigOrigin = "flag" | "env" | "dotenv" | "default";

export interface LoadedConfig {
  readonly config: Config;
  readonly origins: Readonly<Record<VariableName, ConfigOrigin | undefined>>;
  /** Every secret value present, for log redaction. */
  readonly secrets: readonly string[];
}

/**
 * Resolves every variable with precedence flags > env > .env > defaults and validates it.
 * Throws `UserErrors` listing every invalid variable at once, each as one sentence naming the
 * variable, the offending value (secrets masked) and what is expected.
 */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const values: Record<string, unknown> = {};
  const origins: Record<string, ConfigOrigin | undefined> = {};
  const problems: string[] = [];
  const secrets: string[] = [];
  for (const variable of variableSpecs as readonly VariableSpec[]) {
    const [raw, origin] = pick(variable, sources);
    origins[variable.name] = origin;
    if (raw === undefined) {
      values[variable.name] = undefined;
      continue;
    }
    if (variable.secret && raw.trim() !== "") secrets.push(raw.trim());
    const parsed = variable.schema.safeParse(raw);
    if (parsed.success) {
      values[variable.name] = parsed.data;
      if (variable.name === "LLM_ENDPOINTS") secrets.push(...endpointKeys(parsed.data));
    } else {
      const detail = parsed.error.issues
        .map((issue) => {
          if (issue.path.length > 0 || issue.code === "custom") {
            return `${issue.path.length > 0 ? `at ${formatPath(issue.path)}: ` : ""}${issue.message}`;
          }
          // A number out of its range, when the expected text does not give the range already.
          if (variable.expected.includes(" from ")) return null;
          if (issue.code === "too_small" && issue.origin === "number") return `at least ${issue.minimum}`;
          if (issue.code === "too_big" && issue.origin === "number") return `at most ${issue.maximum}`;
          return null;
        })
        .filter((text) => text !== null)
        .slice(0, 2)
        .join("; ");
      const where = origin === "flag" ? "the command line" : origin === "dotenv" ? ".env" : "the environment";
      problems.push(
        `${variable.name} is ${show(variable, raw)} (from ${where}) but must be ${variable.expected}${detail ? ` (${detail})` : ""}.`,
      );
    }
  }
  if (problems.length > 0) throw new UserErrors(problems, { fields: { problems } });
  return {
    config: values as Config,
    origins: origins as Record<VariableName, ConfigOrigin | undefined>,
    secrets: [...new Set(secrets.filter((secret) => secret.length >= 6))],
  };
}

function pick(
  variable: VariableSpec,
  sources: ConfigSources,
): [string | undefined, ConfigOrigin | undefined] {
  const candidates: [string | undefined, ConfigOrigin][] = [
    [sources.flags?.[variable.name], "flag"],
    [sources.env?.[variable.name], "env"],
    [sources.dotenv?.[variable.name], "dotenv"],
  ];
  for (const [value, origin] of candidates) {
    // An empty variable counts as unset, as shells and .env files commonly leave them.
    if (value !== undefined && value.trim() !== "") return [value, origin];
  }
  return variable.default === undefined ? [undefined, undefined] : [variable.default, "default"];
}

function endpointKeys(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: { apiKey?: unknown }) =>
    typeof entry.apiKey === "string" && entry.apiKey !== "" ? [entry.apiKey] : [],
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
    .join("")
    .replace(/^\./, "");
}

/** The value as shown in an error message: quoted, shortened, and masked for secrets. */
function show(variable: VariableSpec, raw: string): string {
  if (variable.secret) return `"${maskSecret(raw)}"`;
  const shortened = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return JSON.stringify(shortened);
}

/** Masks a secret, keeping at most its first three characters: `sk-…(32 chars)`. */
export function maskSecret(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length <= 4) return "****";
  return `${trimmed.slice(0, 3)}…(${trimmed.length} chars)`;
}

/**
 * Parses the text of a `.env` file: `NAME=value` lines, `#` comments, optional `export `,
 * single or double quotes. Later lines win.
 */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name = "", rawValue = ""] = match;
    let value = rawValue;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
      if (rawValue.startsWith('"')) value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    result[name] = value;
  }
  return result;
}

/** Reads and parses a `.env` file; a missing file is an empty source. */
export function readDotenv(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}
