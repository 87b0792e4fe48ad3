/** Random sets of line additions to one file, and the specification they are checked against. */

/** A task's additions: at each place (gap before base line i), the lines it inserts there, in order. */
export type Additions = Map<number, string[]>;

export function applyTo(base: readonly string[], additions: Additions): string {
  const lines: string[] = [];
  for (let gap = 0; gap <= base.length; gap++) {
    lines.push(...(additions.get(gap) ?? []));
    if (gap < base.length) lines.push(base[gap]!);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * The specification: apply each task's additions in landing order to one file, an addition whose
 * line is already in the file being a no-op, new lines going after what is already at their place.
 */
export function sequential(base: readonly string[], tasks: readonly Additions[]): string {
  const placed: Additions = new Map();
  const present = new Set(base);
  for (const task of tasks) {
    for (const [gap, lines] of [...task].sort(([left], [right]) => left - right)) {
      for (const line of lines) {
        if (present.has(line)) continue;
        present.add(line);
        placed.set(gap, [...(placed.get(gap) ?? []), line]);
      }
    }
  }
  return applyTo(base, placed);
}

export function randomCase(next: () => number): { base: string[]; tasks: Additions[] } {
  const pick = (count: number) => Math.floor(next() * count);
  const base = Array.from({ length: pick(5) }, (_, index) => `// section ${index}`);
  const pool = Array.from(
    { length: 2 + pick(10) },
    (_, index) => `export { m${index} } from "./m${index}.ts";`,
  );
  const tasks = Array.from({ length: 2 + pick(5) }, () => {
    const additions: Additions = new Map();
    for (const line of pool) {
      if (next() < 0.3) {
        const gap = pick(base.length + 1);
        additions.set(gap, [...(additions.get(gap) ?? []), line]);
      }
    }
    return additions;
  });
  return { base, tasks };
}

