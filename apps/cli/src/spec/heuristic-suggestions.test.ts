import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { heuristicSuggestions } from "./heuristic-suggestions.js";
import { readRepoFacts } from "./repo-facts.js";

const roots: string[] = [];

async function repoWith(files: Record<string, string>, name = "project"): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "longshot-spec-"));
  roots.push(root);
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

/** What the heuristics suggest, on Node 24, for a repository of `files` in a folder called `name`. */
async function suggestionsFor(files: Record<string, string>, name?: string) {
  return heuristicSuggestions(await readRepoFacts(await repoWith(files, name)), "24");
}

afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe("suggestions derived from the repository", () => {
  it("suggests TypeScript on the stated Node with pnpm, and pnpm commands for the scripts it has", async () => {
    const suggestions = await suggestionsFor({
      "package.json": JSON.stringify({
        name: "@acme/tally",
        description: "Counts words in Markdown files.",
        bin: { tally: "dist/cli.js" },
        engines: { node: ">=22" },
        scripts: { build: "tsc -b", lint: "biome check .", test: "vitest run" },
        devDependencies: { typescript: "5.9.3" },
      }),
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    });
    expect(suggestions.name).toEqual(["tally", "project"]);
    expect(suggestions.problem[0]).toBe("Counts words in Markdown files.");
    expect(suggestions.users[0]).toBe("Developers who run tally from the command line");
    expect(suggestions.constraints[0]).toBe("TypeScript, Node 22, pnpm");
    expect(suggestions.acceptance).toEqual([
      "`pnpm test` passes",
      "`pnpm build` succeeds",
      "`pnpm lint` is clean",
      "Every core feature has a test that exercises it",
    ]);
  });

  it("falls back to the running Node version and npm commands for a plain JavaScript package", async () => {
    const suggestions = await suggestionsFor({
      "package.json": JSON.stringify({ name: "plain", scripts: { test: "node --test" } }),
      "package-lock.json": "{}",
    });
    expect(suggestions.constraints[0]).toBe("JavaScript, Node 24, npm");
    expect(suggestions.acceptance[0]).toBe("`npm test` passes");
    expect(suggestions.users[0]).toBe("Developers who use plain as a library");
  });

  it("uses the packageManager field and .nvmrc over lockfiles and defaults", async () => {
    const suggestions = await suggestionsFor({
      "package.json": JSON.stringify({
        name: "y",
        packageManager: "yarn@4.5.0",
        scripts: { typecheck: "tsc" },
      }),
      "tsconfig.json": "{}",
      ".nvmrc": "v20.11.1\n",
    });
    expect(suggestions.constraints[0]).toBe("TypeScript, Node 20, yarn");
    expect(suggestions.acceptance.slice(0, 2)).toEqual(["`yarn test` passes", "`yarn typecheck` passes"]);
  });

  it("suggests cargo for a Rust crate, with its edition and description", async () => {
    const suggestions = await suggestionsFor({
      "Cargo.toml":
        '[package]\nname = "wordy"\nedition = "2024"\ndescription = "Fast word counts"\n\n[dependencies]\nname = "not-this"\n',
      "src/main.rs": "fn main() {}\n",
    });
    expect(suggestions.name[0]).toBe("wordy");
    expect(suggestions.problem[0]).toBe("Fast word counts");
    expect(suggestions.users[0]).toBe("Developers who run wordy from the command line");
    expect(suggestions.constraints[0]).toBe("Rust 2024 edition, stable toolchain, cargo");
    expect(suggestions.acceptance[0]).toBe("`cargo test` passes");
  });

  it("suggests go commands with the module's Go version", async () => {
    const suggestions = await suggestionsFor({ "go.mod": "module github.com/acme/counter\n\ngo 1.23.4\n" });
    expect(suggestions.name[0]).toBe("counter");
    expect(suggestions.constraints[0]).toBe("Go 1.23, standard library first");
    expect(suggestions.acceptance.slice(0, 2)).toEqual(["`go test ./...` passes", "`go vet ./...` is clean"]);
  });

  it("suggests uv-run pytest and ruff for a uv project that uses them", async () => {
    const suggestions = await suggestionsFor({
      "pyproject.toml":
        '[project]\nname = "counter"\nrequires-python = ">=3.12"\n\n[dependency-groups]\ndev = ["pytest>=8", "ruff"]\n',
      "uv.lock": "",
    });
    expect(suggestions.constraints[0]).toBe("Python >=3.12, uv");
    expect(suggestions.acceptance.slice(0, 2)).toEqual([
      "`uv run pytest` passes",
      "`uv run ruff check .` is clean",
    ]);
  });

  it("offers the README's first paragraph as the problem and its feature list as features", async () => {
    const suggestions = await suggestionsFor({
      "README.md":
        "# Tally\n\nWriters lose track of progress across many Markdown drafts.\n\n## Features\n\n- Count words per file\n- Totals per folder\n",
    });
    expect(suggestions.name).toEqual(["Tally", "project"]);
    expect(suggestions.problem[0]).toBe("Writers lose track of progress across many Markdown drafts.");
    expect(suggestions.features.slice(0, 2)).toEqual(["Count words per file", "Totals per folder"]);
  });

  it("still offers three or four suggestions for every question but the name in an empty directory", async () => {
    const suggestions = await suggestionsFor({}, "blank");
    expect(suggestions.name).toEqual(["blank"]);
    for (const id of ["problem", "users", "features", "constraints", "acceptance"] as const) {
      expect(suggestions[id].length, id).toBeGreaterThanOrEqual(2);
      expect(suggestions[id].length, id).toBeLessThanOrEqual(4);
    }
  });

  it("ignores a package.json that is not valid JSON", async () => {
    const dir = await repoWith({ "package.json": "{ not json" });
    const facts = await readRepoFacts(dir);
    expect(facts.ecosystem).toBeUndefined();
    expect(facts.packageName).toBeUndefined();
  });
});
