/**
 * How the simulated model answers the engine's conflict-resolution step: it reads the hunks the
 * way a model would (from the request text), and answers each with both sides' lines, every line
 * once, merging the sample library's one-line registry by name. `careless` answers keep both
 * sides as they are instead, which for the registry declares it twice: the checks must catch
 * that and the task must run again.
 */

/** A conflict hunk as the request shows it. */
export interface ShownHunk {
  readonly id: string;
  readonly integration: readonly string[];
  readonly task: readonly string[];
}

const registryLine = /^export const registry: readonly string\[\] = \[(.*)\];$/;

function block(section: string, label: string): string[] | null {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}\\n\`\`\`\`\\n([\\s\\S]*?)\`\`\`\``).exec(section);
  if (match === null) return null;
  const text = match[1] ?? "";
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/** The hunks of a resolution request, in order; empty when the text holds none. */
export function shownHunks(text: string): ShownHunk[] {
  const hunks: ShownHunk[] = [];
  for (const section of text.split(/^### Hunk /m).slice(1)) {
    const id = section.slice(0, section.indexOf("\n")).trim();
    const integration = block(section, "The integration branch's lines:");
    const task = block(section, "The task's lines:");
    if (id === "" || integration === null || task === null) continue;
    hunks.push({ id, integration, task });
  }
  return hunks;
}

function names(line: string): string[] {
  const list = registryLine.exec(line)?.[1] ?? "";
  return list
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Both sides' lines, each once, the registry lines merged into one holding every name. */
export function mergedLines(hunk: ShownHunk): string[] {
  const merged: string[] = [];
  let registryAt = -1;
  for (const line of [...hunk.integration, ...hunk.task]) {
    if (registryLine.test(line)) {
      if (registryAt < 0) {
        registryAt = merged.length;
        merged.push(line);
        continue;
      }
      const all = [...names(merged[registryAt]!)];
      for (const name of names(line)) if (!all.includes(name)) all.push(name);
      merged[registryAt] = `export const registry: readonly string[] = [${all.join(", ")}];`;
      continue;
    }
    if (!merged.includes(line)) merged.push(line);
  }
  return merged;
}

/** The answer to a resolution request: every hunk resolved (carefully or not). */
export function resolutionAnswer(
  text: string,
  careless: boolean,
): { hunks: { id: string; resolution: string }[]; cannotResolve: string | null } {
  const hunks = shownHunks(text);
  if (hunks.length === 0) return { hunks: [], cannotResolve: "the request shows no hunk I can read" };
  return {
    hunks: hunks.map((hunk) => {
      const lines = careless ? [...hunk.integration, ...hunk.task] : mergedLines(hunk);
      return { id: hunk.id, resolution: lines.map((line) => `${line}\n`).join("") };
    }),
    cannotResolve: null,
  };
}
