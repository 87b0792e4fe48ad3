/**
 * Markdown building blocks that keep untrusted text (model output, check output) inert: no
 * HTML, no links or emphasis, no table breaks, and no @-mentions that would notify people when
 * the summary is posted to GitHub.
 */
export function mdText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~#!])/g, "\\$1")
    .replace(/@(?=\w)/g, "@\u200b");
}

/** Inline code for a value the renderer trusts to be short (an id, a branch, a sha). */
export function mdCode(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block that no backtick run inside `text` can close early. */
export function mdBlock(text: string, language = ""): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\s+$/, "")}\n${fence}`;
}

/** A GitHub-flavoured table; cells are already escaped Markdown. */
export function mdTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ("l" | "r")[] = [],
): string {
  const rule = headers.map((_, index) => (align[index] === "r" ? "---:" : "---"));
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(rule), ...rows.map(line)].join("\n");
}

/** A collapsed section; `summary` is plain text, `body` Markdown. */
export function mdDetails(summary: string, body: string): string {
  return `<details><summary>${summary.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</summary>\n\n${body}\n\n</details>`;
}
