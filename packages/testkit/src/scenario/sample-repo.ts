import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runGitSync } from "../repo/run-git-sync.js";
import type { SampleModule } from "./sample-library.js";

const buildScript = `// Loads every module so a syntax or link error fails the build, naming the file.
import { readdirSync } from "node:fs";

const dir = new URL("../src/", import.meta.url);
const files = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts")).sort();
let failed = 0;
for (const file of files) {
  try {
    await import(new URL(file, dir).href);
  } catch (error) {
    failed++;
    console.error(\`src/\${file}: \${error instanceof Error ? error.message.split("\\n")[0] : String(error)}\`);
  }
}
if (failed > 0) {
  console.error(\`build failed: \${failed} of \${files.length} module(s) do not load\`);
  process.exit(1);
}
console.log(\`build ok: \${files.length} modules load\`);
`;

export const indexHeader =
  "// Public API of sample-utils: one export line per module.\nexport const registry: readonly string[] = [];\n";

/** SPEC.md of the sample library: what the planner is asked to build. */
export function sampleSpec(modules: readonly SampleModule[]): string {
  return [
    "# sample-utils",
    "",
    "A small TypeScript utility library. Each function lives in its own module `src/<name>.ts`,",
    "is exported from `src/index.ts`, and has tests in `src/<name>.test.ts` (node:test).",
    "",
    "## Modules",
    "",
    ...modules.map((entry) => `- \`${entry.name}\`: ${entry.summary}`),
    "",
    "## Acceptance",
    "",
    "- `npm run build` loads every module without error.",
    "- `npm test` passes, with at least one test per module.",
    "- README.md lists every module.",
    "",
  ].join("\n");
}

const author = { name: "Sample", email: "sample@example.invalid" };

function git(dir: string, args: readonly string[]): string {
  return runGitSync(dir, args, author);
}

/**
 * Creates the sample repository in `dir` (which must not exist or be empty): the scaffolding,
 * SPEC.md and one commit on `main`. Returns the commit's sha.
 */
export function createSampleRepo(dir: string, modules: readonly SampleModule[]): string {
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "scripts"), { recursive: true });
  writeFileSync(join(dir, "SPEC.md"), sampleSpec(modules));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: "sample-utils",
        version: "0.1.0",
        private: true,
        type: "module",
        scripts: { build: "node scripts/build.mjs", test: "node --test" },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, "scripts", "build.mjs"), buildScript);
  writeFileSync(join(dir, "src", "index.ts"), indexHeader);
  writeFileSync(join(dir, "README.md"), "# sample-utils\n\nA small TypeScript utility library.\n");
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "Scaffold sample-utils"]);
  return git(dir, ["rev-parse", "HEAD"]);
}
