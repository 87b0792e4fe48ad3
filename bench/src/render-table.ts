import type { Figure } from "./figure.ts";

const header = ["Benchmark", "Figure", "Result", "Goal", "Verdict"] as const;

function cells(figure: Figure): string[] {
  return [figure.section, figure.name, figure.display, figure.goal?.text ?? "", figure.verdict];
}

/** Pipes would end a Markdown cell early; newlines would end the row. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * The results as a Markdown table (one row per figure, goal and verdict beside the number).
 * The benchmark name is printed once per group of consecutive rows, so sections read as blocks.
 */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure, index) => {
    const row = cells(figure).map(escapeCell);
    if (index > 0 && figures[index - 1]?.section === figure.section) row[0] = "";
    return row;
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** One line counting the verdicts, e.g. "7 PASS, 2 MISS, 1 skipped". */
export function summarize(figures: readonly Figure[]): string {
  const order = ["PASS", "MISS", "skipped", "error"] as const;
  const parts = order
    .map((verdict) => [verdict, figures.filter((figure) => figure.verdict === verdict).length] as const)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${verdict}`);
  return parts.length === 0 ? "no goals measured" : parts.join(", ");
}
