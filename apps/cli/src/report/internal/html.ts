/** Markup that is already safe to emit: built by `html` or from a trusted constant via `trusted`. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text (escaped), numbers, safe markup, nothing, or lists of these. */
export type HtmlPart = SafeHtml | string | number | null | undefined | false | readonly HtmlPart[];

// Control characters other than tab and newlines have no business in a report and some are
// invalid in HTML; they are dropped rather than escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text
    .replace(controls, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function render(part: HtmlPart): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof SafeHtml) return part.value;
  if (typeof part === "number") return Number.isFinite(part) ? String(Math.round(part * 100) / 100) : "0";
  if (typeof part === "string") return escapeHtml(part);
  return part.map(render).join("");
}

/**
 * A template tag that escapes every interpolated string, so untrusted text (task titles, model
 * output, check output) can only ever become text. Numbers are rounded to two decimals.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlPart[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let index = 0; index < values.length; index += 1) {
    out += render(values[index] ?? null) + (strings[index + 1] ?? "");
  }
  return new SafeHtml(out);
}

/** Marks a constant of this module's own making (a style sheet, a script) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A fragment id made only of characters that need no escaping anywhere. */
export function anchorId(...parts: readonly (string | number)[]): string {
  return parts.map((part) => String(part).replace(/[^A-Za-z0-9_-]/g, "_")).join("-");
}
