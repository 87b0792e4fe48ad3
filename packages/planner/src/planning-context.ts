import { throwIfAborted } from "@longshot/core";
import type { CommitSummary, FileListing, RepoReader } from "./repo-reader.js";

/** A file the planner read, cut to its budget. */
export interface ContextFile {
  readonly path: string;
  readonly text: string;
}

/** What the root planner knows about the request and the repository. */
export interface PlanningContext {
  readonly request: string;
  /** SPEC.md and files the request names, then files those name. */
  readonly documents: readonly ContextFile[];
  /** README and package manifests. */
  readonly keyFiles: readonly ContextFile[];
  readonly tree: FileListing;
  readonly commits: readonly CommitSummary[];
}

export interface ContextLimits {
  /** Files listed from the repository tree. */
  readonly treeEntries: number;
  /** Characters read from one file. */
  readonly fileChars: number;
  /** Documents read: SPEC.md plus referenced files. */
  readonly documents: number;
  /** Recent commits shown. */
  readonly commits: number;
}

export const defaultContextLimits: ContextLimits = {
  treeEntries: 400,
  fileChars: 20_000,
  documents: 12,
  commits: 20,
};

const keyFileNames = new Set([
  "readme.md",
  "readme",
  "package.json",
  "pnpm-workspace.yaml",
  "tsconfig.json",
  "cargo.toml",
  "pyproject.toml",
  "go.mod",
  "makefile",
  "deno.json",
]);
const nestedManifests = 8;
const pathToken = /[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]+|[\w@.-]+(?:\/[\w@.-]+)+\/?/g;

/** Paths in `text` that name files in `known` (`./` prefixes and backticks tolerated). */
export function referencedPaths(text: string, known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(pathToken)) {
    const path = match[0].replace(/^\.\//, "").replace(/[.]+$/, "");
    if (known.has(path) && !found.includes(path)) found.push(path);
  }
  return found;
}

/**
 * Gathers the root planner's context through `repo`: the bounded tree, SPEC.md (when present)
 * and the files the request and the documents reference, key files, and recent commits.
 * Throws `AbortError` when `signal` aborts.
 */
export async function gatherPlanningContext(
  repo: RepoReader,
  request: string,
  signal: AbortSignal,
  limits: ContextLimits = defaultContextLimits,
): Promise<PlanningContext> {
  throwIfAborted(signal);
  const tree = await repo.listFiles({ limit: limits.treeEntries, signal });
  // References may name files beyond the listed tree, so look them up in a wider listing.
  const wide = tree.truncated ? await repo.listFiles({ limit: limits.treeEntries * 25, signal }) : tree;
  const known = new Set(wide.paths);
  const read = async (path: string): Promise<ContextFile | undefined> => {
    const text = await repo.readFile(path, { maxChars: limits.fileChars, signal });
    return text === undefined ? undefined : { path, text };
  };
  const queue = [...(known.has("SPEC.md") ? ["SPEC.md"] : []), ...referencedPaths(request, known)];
  const documents: ContextFile[] = [];
  while (queue.length > 0 && documents.length < limits.documents) {
    const path = queue.shift() ?? "";
    if (documents.some((document) => document.path === path)) continue;
    const file = await read(path);
    if (file === undefined) continue;
    documents.push(file);
    if (path.endsWith(".md") || path.endsWith(".txt")) queue.push(...referencedPaths(file.text, known));
  }
  const keyPaths = [
    ...wide.paths.filter((path) => !path.includes("/") && keyFileNames.has(path.toLowerCase())),
    ...wide.paths.filter((path) => /^[^/]+\/[^/]+\/package\.json$/.test(path)).slice(0, nestedManifests),
  ].filter((path) => !documents.some((document) => document.path === path));
  const keyFiles = (await Promise.all(keyPaths.map(read))).filter((file) => file !== undefined);
  const commits = await repo.recentCommits({ limit: limits.commits, signal });
  return { request, documents, keyFiles, tree, commits };
}

/** The context as a markdown message for the model. */
export function renderPlanningContext(context: PlanningContext): string {
  const fence = (file: ContextFile): string => `### ${file.path}\n\n\`\`\`\`\n${file.text}\n\`\`\`\``;
  const sections = [`## Request\n\n${context.request}`];
  if (context.documents.length > 0)
    sections.push(`## Documents\n\n${context.documents.map(fence).join("\n\n")}`);
  if (context.keyFiles.length > 0)
    sections.push(`## Key files\n\n${context.keyFiles.map(fence).join("\n\n")}`);
  const more = context.tree.truncated
    ? `\n(only the first ${context.tree.paths.length} files are listed)`
    : "";
  const tree = context.tree.paths.length === 0 ? "(no files yet)" : context.tree.paths.join("\n");
  sections.push(`## Repository files\n\n${tree}${more}`);
  const commits =
    context.commits.length === 0
      ? "(no commits yet)"
      : context.commits.map((commit) => `${commit.sha.slice(0, 10)} ${commit.subject}`).join("\n");
  sections.push(`## Recent commits\n\n${commits}`);
  return sections.join("\n\n");
}
