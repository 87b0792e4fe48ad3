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
  reverted: ["↶", "yellow"],
  failed: ["✗", "red"],
  cancelled: ["-", "gray"],
  split: ["⑂", "gray"],
};

const activeFirst: Record<TaskState, number> = {
  running: 0,
  review: 1,
  merging: 2,
  failed: 3,
  reverted: 4,
  ready: 5,
  pending: 6,
  landed: 7,
  split: 8,
  cancelled: 9,
};

interface Line {
  readonly row: TaskRow;
  readonly depth: number;
}

/** Root → subplanner parents → tasks, most active first, windowed to `rows` lines. */
export function planLines(view: DashboardView, rows: number): { lines: Line[]; hidden: number } {
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
  return { lines: lines.slice(0, rows), hidden: Math.max(0, lines.length - rows) };
}

export function PlanTree({ view, width, rows }: { view: DashboardView; width: number; rows: number }) {
  const { lines, hidden } = planLines(view, rows);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={width}>
      <Text bold>Plan · {view.order.length} tasks</Text>
      {lines.length === 0 ? <Text dimColor>planning…</Text> : null}
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
