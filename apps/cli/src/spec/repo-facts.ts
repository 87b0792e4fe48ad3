import { access, readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { readmeFacts } from "./internal/readme-facts.js";
import { hasTomlTable, tomlField } from "./internal/toml-field.js";

/** A Node.js project: language, package manager and the scripts its manifest defines. */
export interface NodeProject {
  readonly kind: "node";
  readonly language: "TypeScript" | "JavaScript";
  readonly packageManager: "pnpm" | "yarn" | "npm" | "bun";
  /** Major version from `engines.node`, `.nvmrc` or `.node-version`, when stated. */
  readonly nodeVersion: string | undefined;
  readonly scripts: readonly string[];
}

export interface RustProject {
  readonly kind: "rust";
  readonly edition: string | undefined;
}

export interface GoProject {
  readonly kind: "go";
  readonly goVersion: string | undefined;
}

export interface PythonProject {
  readonly kind: "python";
  /** `requires-python`, e.g. `>=3.12`. */
  readonly requiresPython: string | undefined;
  readonly runner: "uv" | "poetry" | "pip";
  /** Tools configured in pyproject.toml among pytest, ruff and mypy. */
  readonly tools: readonly string[];
}

/** The toolchain a repository uses, from its manifest. */
export type Ecosystem = NodeProject | RustProject | GoProject | PythonProject;

/** What the repository already says about itself, to derive suggestions from. */
export interface RepoFacts {
  readonly dirName: string;
  /** The manifest's package name (npm scope dropped), when there is one. */
  readonly packageName: string | undefined;
  /** The manifest's description. */
  readonly description: string | undefined;
  /** True when the manifest declares a binary. */
  readonly hasCli: boolean;
  readonly readmeTitle: string | undefined;
  readonly readmeParagraph: string | undefined;
  readonly readmeFeatures: readonly string[];
  readonly ecosystem: Ecosystem | undefined;
}

const PackageJsonSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  packageManager: z.string().optional(),
  engines: z.object({ node: z.string().optional() }).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});

type Manifest = Pick<RepoFacts, "packageName" | "description" | "hasCli" | "ecosystem">;

/**
 * Reads the repository's manifest (package.json, Cargo.toml, go.mod or pyproject.toml, first
 * found) and README. Missing or unreadable files just leave their facts unknown; never throws
 * for them.
 */
export async function readRepoFacts(repoDir: string): Promise<RepoFacts> {
  const files = new Set(await readdir(repoDir).catch(() => []));
  const read = async (name: string): Promise<string | undefined> =>
    files.has(name) ? await readFile(join(repoDir, name), "utf8").catch(() => undefined) : undefined;
  const manifest =
    (await nodeManifest(read, files)) ??
    rustManifest(await read("Cargo.toml"), await exists(join(repoDir, "src", "main.rs"))) ??
    goManifest(await read("go.mod")) ??
    pythonManifest(await read("pyproject.toml"), files);
  const readmeName = [...files].find((name) => /^readme(?:\.md|\.markdown|\.txt)?$/i.test(name));
  const readme = readmeFacts(readmeName === undefined ? "" : ((await read(readmeName)) ?? ""));
  return {
    dirName: basename(repoDir),
    packageName: manifest?.packageName,
    description: manifest?.description,
    hasCli: manifest?.hasCli ?? false,
    readmeTitle: readme.title,
    readmeParagraph: readme.firstParagraph,
    readmeFeatures: readme.features,
    ecosystem: manifest?.ecosystem,
  };
}

async function nodeManifest(
  read: (name: string) => Promise<string | undefined>,
  files: ReadonlySet<string>,
): Promise<Manifest | undefined> {
  const text = await read("package.json");
  if (text === undefined) return undefined;
  const parsed = PackageJsonSchema.safeParse(parseJson(text));
  if (!parsed.success) return undefined;
  const manifest = parsed.data;
  const dependencies = { ...manifest.dependencies, ...manifest.devDependencies };
  const typescript = files.has("tsconfig.json") || "typescript" in dependencies;
  const versionFile = (await read(".nvmrc")) ?? (await read(".node-version"));
  return {
    packageName: manifest.name?.replace(/^@[^/]+\//, ""),
    description: nonEmpty(manifest.description),
    hasCli: manifest.bin !== undefined,
    ecosystem: {
      kind: "node",
      language: typescript ? "TypeScript" : "JavaScript",
      packageManager: packageManagerOf(manifest.packageManager, files),
      nodeVersion: majorVersion(manifest.engines?.node) ?? majorVersion(versionFile),
      scripts: Object.keys(manifest.scripts ?? {}),
    },
  };
}

function packageManagerOf(
  declared: string | undefined,
  files: ReadonlySet<string>,
): NodeProject["packageManager"] {
  const name = declared?.split("@")[0];
  if (name === "pnpm" || name === "yarn" || name === "npm" || name === "bun") return name;
  if (files.has("pnpm-lock.yaml") || files.has("pnpm-workspace.yaml")) return "pnpm";
  if (files.has("yarn.lock")) return "yarn";
  if (files.has("bun.lockb") || files.has("bun.lock")) return "bun";
  return "npm";
}

function rustManifest(text: string | undefined, hasMain: boolean): Manifest | undefined {
  if (text === undefined) return undefined;
  return {
    packageName: tomlField(text, "package", "name"),
    description: nonEmpty(tomlField(text, "package", "description")),
    hasCli: hasMain || hasTomlTable(text, "bin"),
    ecosystem: { kind: "rust", edition: tomlField(text, "package", "edition") },
  };
}

function goManifest(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  const module = /^module\s+(\S+)/m.exec(text)?.[1];
  return {
    packageName: module?.split("/").at(-1),
    description: undefined,
    hasCli: false,
    ecosystem: { kind: "go", goVersion: /^go\s+(\d+\.\d+)/m.exec(text)?.[1] },
  };
}

function pythonManifest(text: string | undefined, files: ReadonlySet<string>): Manifest | undefined {
  if (text === undefined) return undefined;
  const poetry = hasTomlTable(text, "tool.poetry");
  const runner = files.has("uv.lock") ? "uv" : poetry || files.has("poetry.lock") ? "poetry" : "pip";
  // A tool's own table or any mention (a dev dependency) is enough for a suggestion.
  const tools = ["pytest", "ruff", "mypy"].filter((tool) => text.includes(tool));
  return {
    packageName: tomlField(text, "project", "name") ?? tomlField(text, "tool.poetry", "name"),
    description: nonEmpty(
      tomlField(text, "project", "description") ?? tomlField(text, "tool.poetry", "description"),
    ),
    hasCli: hasTomlTable(text, "project.scripts") || hasTomlTable(text, "tool.poetry.scripts"),
    ecosystem: {
      kind: "python",
      requiresPython: tomlField(text, "project", "requires-python"),
      runner,
      tools,
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function majorVersion(range: string | undefined): string | undefined {
  return range === undefined ? undefined : /(\d+)/.exec(range)?.[1];
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
