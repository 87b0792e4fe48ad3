import { oneLine } from "./format.js";

export interface TextColumn {
  readonly header: string;
  readonly align?: "left" | "right";
  /** Takes the width the other columns leave, cutting its cells with an ellipsis. */
  readonly flex?: boolean;
  /** Cap on this column's width (cells are cut with an ellipsis). */
  readonly max?: number;
}

/**
 * Aligned plain-text columns separated by two spaces, no wider than `width` when the fixed
 * columns allow it. Cells are flattened to one line. No colour: the caller adds it.
 */
export function textTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
  width = 100,
): string[] {
  const cells = rows.map((row) =>
    columns.map((column, index) => oneLine(row[index] ?? "", column.max ?? 1000)),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const flex = columns.findIndex((column) => column.flex);
  if (flex !== -1) {
    const others = widths.reduce((sum, value, index) => (index === flex ? sum : sum + value), 0);
    const room = width - others - 2 * (columns.length - 1);
    widths[flex] = Math.max(columns[flex]!.header.length, Math.min(widths[flex]!, Math.max(room, 12)));
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, index) => {
        const size = widths[index]!;
        const text = cell.length > size ? `${cell.slice(0, size - 1)}…` : cell;
        return columns[index]?.align === "right" ? text.padStart(size) : text.padEnd(size);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)];
}
