import type { Git } from "@longshot/git";
import { type CriticKind, type DuplicateGroup, findDuplicates } from "@longshot/planner";
import type { CriticEvidenceSource, CriticRange, GatheredEvidence } from "./critic-evidence.js";

/** Options of {@link GitCriticEvidence}. */
export interface GitCriticEvidenceOptions {
  readonly git: Git;
  /** BENCHMARK_COMMAND; default the package.json `bench` script when there is one. */
  readonly benchmarkCommand?: string;
  /** Most bytes of source the duplicate finder reads per round; default 4 MB. */
  readonly maxBytes?: number;
}

const sourceFile = /\.(?:[cm]?[jt]sx?|py|go|rs|java|kt|rb|php|cs|swift|c|cc|cpp|h|hpp|scala|vue|svelte)$/i;
const ignored = /(?:^|\/)(?:node_modules|dist|build|vendor|coverage|\.git)\/|\.min\.js$|\.d\.ts$/;
const testFile = /(?:^|\/)(?:__tests__|tests?)\/|[._-](?:test|spec)\.[^/]+$|(?:^|\/)test_[^/]+$/i;
const notesCandidates = [
  "ARCHITECTURE.md",
  "docs/ARCHITECTURE.md",
  "docs/architecture.md",
  "architecture.md",
  "docs/design.md",
  "DESIGN.md",
];
const largestFile = 200_000;

/**
 * Critic evidence read from git objects of the integration branch: the duplicate finder over its
 * source files, changed source files and the tests beside them, the repository's architecture
 * notes, the declared benchmark. Reading objects executes nothing an agent wrote.
 */
export class GitCriticEvidence implements CriticEvidenceSource {
  readonly #options: GitCriticEvidenceOptions;

  constructor(options: GitCriticEvidenceOptions) {
    this.#options = options;
  }

  async gather(kind: CriticKind, range: CriticRange, signal: AbortSignal): Promise<GatheredEvidence> {
    const git = this.#options.git;
    const files = await git.listFiles(range.to, { signal });
    const changed = await this.#changed(range, signal);
    switch (kind) {
      case "duplication":
        return this.#duplication(files, changed, range, signal);
      case "coverage":
        return coverage(files, changed);
      case "architecture":
        return this.#architecture(files, changed, range, signal);
      case "performance":
        return this.#performance(files, changed, range, signal);
    }
  }

  async #changed(range: CriticRange, signal: AbortSignal): Promise<string[]> {
    if (range.from === range.to) return [];
    const entries = await this.#options.git.diffNameStatus(range.from, range.to, { signal });
    return entries.filter((entry) => entry.status !== "D").map((entry) => entry.path);
  }

  async #duplication(
    files: readonly string[],
    changed: readonly string[],
    range: CriticRange,
    signal: AbortSignal,
  ): Promise<GatheredEvidence> {
    const sources = new Map<string, string>();
    let budget = this.#options.maxBytes ?? 4_000_000;
    for (const path of files.filter(isSource)) {
      if (budget <= 0) break;
      const text = await this.#options.git.readFile(range.to, path, { signal });
      if (text === null || text.length > largestFile) continue;
      sources.set(path, text);
      budget -= text.length;
    }
    const touched = new Set(changed);
    const groups = findDuplicates(sources).filter(
      (group) => touched.size === 0 || group.locations.some((location) => touched.has(location.path)),
    );
    if (groups.length === 0) return { skip: "the duplicate finder found no copied code in what landed" };
    const paths = [...new Set(groups.flatMap((group) => group.locations.map((location) => location.path)))];
    return {
      kind: "duplication",
      files: paths,
      summary: `## Duplicate finder\n\n${groups.length} group(s) of copied code touch what landed since the last round:\n\n${groups.map(describeGroup).join("\n\n")}`,
    };
  }

  async #architecture(
    files: readonly string[],
    changed: readonly string[],
    range: CriticRange,
    signal: AbortSignal,
  ): Promise<GatheredEvidence> {
    const notes = notesCandidates.find((candidate) => files.includes(candidate));
    if (notes === undefined) {
      return { skip: `the repository has no architecture notes (${notesCandidates.slice(0, 3).join(", ")})` };
    }
    if (changed.length === 0) return { skip: "nothing changed since the last round" };
    const text = (await this.#options.git.readFile(range.to, notes, { signal })) ?? "";
    return {
      kind: "architecture",
      files: [notes, ...changed.slice(0, 30)],
      summary: `## Architecture notes (${notes})\n\n${text.slice(0, 6000)}\n\n## Changed since the last round\n\n${listPaths(changed)}`,
    };
  }

  async #performance(
    files: readonly string[],
    changed: readonly string[],
    range: CriticRange,
    signal: AbortSignal,
  ): Promise<GatheredEvidence> {
    const command =
      this.#options.benchmarkCommand ??
      (files.includes("package.json")
        ? benchScript(await this.#options.git.readFile(range.to, "package.json", { signal }))
        : null);
    if (command === null) {
      return {
        skip: "the repository declares no benchmark (set BENCHMARK_COMMAND or a package.json bench script)",
      };
    }
    if (changed.length === 0) return { skip: "nothing changed since the last round" };
    return {
      kind: "performance",
      files: changed.filter(isSource).slice(0, 30),
      command,
      summary: `## Changed since the last round\n\n${listPaths(changed)}`,
    };
  }
}

function coverage(files: readonly string[], changed: readonly string[]): GatheredEvidence {
  const sources = changed.filter((path) => isSource(path) && !testFile.test(path));
  if (sources.length === 0) return { skip: "no source file changed since the last round" };
  const tests = files.filter((path) => testFile.test(path));
  const lines = sources.map((path) => {
    const stem = path.replace(/^.*\//, "").replace(/\.[^.]+$/, "");
    const found = tests.filter(
      (test) =>
        test
          .replace(/^.*\//, "")
          .replace(/^test_/, "")
          .startsWith(`${stem}.`) || test.includes(`/${stem}/`),
    );
    return found.length === 0
      ? `- ${path}: no test file found`
      : `- ${path}: tested in ${found.slice(0, 3).join(", ")}`;
  });
  return {
    kind: "coverage",
    files: sources.slice(0, 30),
    summary: `## Source files changed since the last round\n\n${lines.slice(0, 60).join("\n")}`,
  };
}

function benchScript(packageJson: string | null): string | null {
  if (packageJson === null) return null;
  try {
    const parsed: unknown = JSON.parse(packageJson);
    const scripts =
      typeof parsed === "object" && parsed !== null && "scripts" in parsed ? parsed.scripts : null;
    return typeof scripts === "object" &&
      scripts !== null &&
      "bench" in scripts &&
      typeof scripts.bench === "string"
      ? "npm run bench"
      : null;
  } catch {
    return null;
  }
}

function describeGroup(group: DuplicateGroup): string {
  const where = group.locations.map(
    (location) => `${location.path}:${location.startLine}-${location.endLine}`,
  );
  return `- ${group.lines} lines, ${group.tokens} tokens, in ${where.join(", ")}\n\n\`\`\`\n${group.excerpt}\n\`\`\``;
}

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 60).map((path) => `- ${path}`);
  if (paths.length > 60) shown.push(`- … and ${paths.length - 60} more`);
  return shown.join("\n");
}

function isSource(path: string): boolean {
  return sourceFile.test(path) && !ignored.test(path);
}
