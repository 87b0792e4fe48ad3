import type { z } from "zod";

type Issue = z.core.$ZodIssue;

/** zod's own messages start like this; a schema's custom message is a noun phrase instead. */
const defaultMessage = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

function pathOf(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    text += typeof key === "number" ? `[${key}]` : `${text === "" ? "" : "."}${String(key)}`;
  }
  return text === "" ? "the arguments" : text;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function got(issue: Issue): string {
  return issue.input === undefined ? "" : ` (got ${shown(issue.input)})`;
}

function limit(kind: "at least" | "at most", origin: string, bound: number | bigint): string {
  if (origin === "string")
    return Number(bound) === 1 && kind === "at least" ? "not be empty" : `be ${kind} ${bound} characters`;
  if (origin === "array" || origin === "set") return `have ${kind} ${bound} item(s)`;
  return `be ${kind} ${bound}`;
}

/** The innermost issues of a union: those of the alternative that got furthest. */
function unionIssues(issue: Extract<Issue, { code: "invalid_union" }>): Issue[] {
  const [first] = [...issue.errors].sort((a, b) => depth(b) - depth(a));
  return (first ?? []).map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue);
}

function depth(issues: readonly Issue[]): number {
  return Math.max(0, ...issues.map((issue) => issue.path.length));
}

function clause(issue: Issue): string {
  const path = pathOf(issue.path);
  if (!defaultMessage.test(issue.message)) return `${path} must be ${issue.message}${got(issue)}`;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `${path} is required (${issue.expected})`
        : `${path} must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}${got(issue)}`;
    case "too_small":
      return `${path} must ${limit("at least", issue.origin, issue.minimum)}${got(issue)}`;
    case "too_big":
      return `${path} must ${limit("at most", issue.origin, issue.maximum)}${got(issue)}`;
    case "invalid_value":
      return `${path} must be one of ${issue.values.map((value) => shown(value)).join(", ")}${got(issue)}`;
    case "unrecognized_keys":
      return `${path} has unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(", ")}; remove them`;
    case "invalid_union": {
      const inner = unionIssues(issue);
      return inner.length > 0 ? clause(inner[0]!) : `${path} is not valid${got(issue)}`;
    }
    default:
      return `${path} is not valid: ${issue.message}${got(issue)}`;
  }
}

/**
 * One sentence saying what is wrong with a tool's arguments and what to fix, such as
 * `Invalid arguments for start_run: options.workers must be at least 1 (got 0).`
 * Parse with `{ reportInput: true }` so the offending values can be quoted.
 */
export function describeArgumentError(tool: string, error: z.ZodError): string {
  const clauses = [...new Set(error.issues.slice(0, 3).map(clause))];
  const more = error.issues.length > 3 ? `; and ${error.issues.length - 3} more problem(s)` : "";
  return `Invalid arguments for ${tool}: ${clauses.join("; ")}${more}.`;
}
