import type { TaskState } from "@longshot/core";
import { Box, Text } from "ink";
import { fit } from "../format.js";
import type { DashboardView, TaskRow } from "../view.js";

const glyph: Record<TaskState, [string, string]> = {
  pending: ["·", "gray"],
  ready: ["○", "white"],
  running: ["▶", "cyan"],
  review: ["?", "magenta"],
  merging: ["⇢", "blue"],
  landed: ["✓", "green"],
  failed: ["✗", "red"],
  cancelled: ["-", "gray"],
  split: ["⑂", "gray"],
};

const activeFirst: Record<TaskState, number> = {
  running: 0,
  review: 1,
  merging: 2,
  failed: 3,
  ready: 4,
  pending: 5,
  landed: 6,
  split: 7,
  cancelled: 8,
};

interface Line {
  readonly row: TaskRow;
  readonly depth: number;
}

/** Every plan line: root → subplanner parents → tasks, most active first. */
export function allPlanLines(view: DashboardView): Line[] {
  const children = new Map<string | null, TaskRow[]>();
  for (const id of view.order) {
    const row = view.tasks.get(id)!;
    const parent = row.parentId !== null && view.tasks.has(row.parentId) ? row.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(row);
    children.set(parent, list);
  }
  const rank = (row: TaskRow): number => {
    const own = activeFirst[row.state];
    const kids = children.get(row.id);
    return kids ? Math.min(own, ...kids.map(rank)) : own;
  };
  const lines: Line[] = [];
  const walk = (parent: string | null, depth: number): void => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => rank(a) - rank(b));
    for (const row of list) {
      lines.push({ row, depth });
      walk(row.id, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}

/** A window of the plan for `rows` content lines, scrolled down by `offset` lines. */
export interface PlanWindow {
  readonly lines: Line[];
  /** Lines above the window (scrolled past). */
  readonly above: number;
  /** Lines below the window. */
  readonly hidden: number;
  /** The offset actually used (clamped to the plan's length). */
  readonly offset: number;
}

/**
 * The plan lines that fit `rows` content rows at scroll `offset`, leaving a row for "↑ N above"
 * and one for "… N more" when there are lines out of view.
 */
export function planLines(view: DashboardView, rows: number, offset = 0): PlanWindow {
  const all = allPlanLines(view);
  if (all.length <= rows) return { lines: all, above: 0, hidden: 0, offset: 0 };
  const maxOffset = Math.max(0, all.length - Math.max(1, rows - 1));
  const start = Math.min(Math.max(0, offset), maxOffset);
  const room = Math.max(1, rows - (start > 0 ? 1 : 0));
  const fitsToEnd = all.length - start <= room;
  const count = fitsToEnd ? room : Math.max(1, room - 1);
  const lines = all.slice(start, start + count);
  return { lines, above: start, hidden: all.length - start - lines.length, offset: start };
}

export function PlanTree({
  view,
  width,
  rows,
  offset = 0,
}: {
  view: DashboardView;
  width: number;
  rows: number;
  offset?: number;
}) {
  const { lines, above, hidden } = planLines(view, rows, offset);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width} height={rows + 3}>
      <Text bold wrap="truncate">
        Plan · {view.order.length} tasks
      </Text>
      {lines.length === 0 ? <Text dimColor>planning…</Text> : null}
      {above > 0 ? <Text dimColor>↑ {above} above</Text> : null}
      {lines.map(({ row, depth }) => {
        const [mark, color] = glyph[row.state];
        const label = `${"  ".repeat(depth)}${row.id} ${row.kind === "fix" ? "[fix] " : ""}${row.title}`;
        return (
          <Text key={row.id} wrap="truncate">
            <Text color={color}>{mark}</Text> {fit(label, width - 6)}
          </Text>
        );
      })}
      {hidden > 0 ? <Text dimColor>… {hidden} more</Text> : null}
    </Box>
  );
}
