// Builds the publishable `longshot` package in apps/cli/release/: the CLI and every workspace
// package it uses bundled with esbuild (code split, so each command loads only its own part),
// the planner's and the engine's prompts, a package.json with bin/files/engines and the runtime dependencies
// that stay real packages, the README and the licence. `npm pack` in release/ makes the tarball.
//
//   node scripts/bundle.mjs            (after `tsc -b`; part of `pnpm build`)
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sandboxKinds } from "@longshot/core/kinds";
import { build } from "esbuild";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(app, "..", "..");
const release = join(app, "release");
const source = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
const lockVersion = (pkg) => {
  const version = source.dependencies[pkg] ?? readPackageVersion(pkg);
  if (!/^\d+\.\d+\.\d+/.test(version))
    throw new Error(`${pkg} must be pinned to an exact version, not ${version}`);
  return version;
};

/** The version a sandbox kind's package pins for a dependency (the bundle keeps it external). */
function readPackageVersion(pkg) {
  for (const { package: name } of Object.values(sandboxKinds)) {
    const dir = name.replace("@longshot/", "");
    const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    if (manifest.dependencies?.[pkg]) return manifest.dependencies[pkg];
  }
  throw new Error(`no workspace package depends on ${pkg}`);
}

/**
 * Installed by npm with the package rather than bundled: dockerode (ssh2's optional native
 * parts), e2b and modal (large SDKs only their sandboxes load; modal's gRPC stack has optional
 * native parts too). Each is imported only when chosen.
 */
const runtimeDependencies = ["dockerode", "e2b", "modal"];

rmSync(release, { recursive: true, force: true });
mkdirSync(release, { recursive: true });
await build({
  entryPoints: { main: join(app, "dist", "main.js") },
  outdir: join(release, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  // Chunks sit beside main.js, so `../package.json` (the version) and `../prompts/` resolve from each.
  chunkNames: "[name]-[hash]",
  // Bundled CommonJS (pino, the MCP SDK's helpers) calls require: give every chunk one.
  banner: {
    js: "import { createRequire as __longshotRequire } from 'node:module'; const require = __longshotRequire(import.meta.url);",
  },
  // React's production build, and no React DevTools (Ink loads it only with DEV=true).
  define: { "process.env.NODE_ENV": '"production"' },
  external: [...runtimeDependencies, "react-devtools-core"],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "linked",
  logLevel: "warning",
});
// The GitHub Action's steps (scripts/github), with @longshot/github bundled in: the action
// installs this package instead of building longshot from source.
await build({
  entryPoints: ["run", "report", "open-pr", "push"].map((name) =>
    join(root, "scripts", "github", `${name}.mjs`),
  ),
  outdir: join(release, "github"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  alias: { "@longshot/github": join(root, "packages", "github", "dist", "index.js") },
  banner: {
    js: "import { createRequire as __longshotRequire } from 'node:module'; const require = __longshotRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "linked",
  logLevel: "warning",
});
cpSync(join(root, "packages", "planner", "prompts"), join(release, "prompts"), { recursive: true });
// The engine's prompts (conflict resolution) sit beside the planner's: both resolve `../prompts/`.
cpSync(join(root, "packages", "engine", "prompts"), join(release, "prompts"), { recursive: true });
cpSync(join(app, "README.md"), join(release, "README.md"));
cpSync(join(root, "LICENSE"), join(release, "LICENSE"));
const manifest = {
  name: "longshot",
  version: source.version,
  description:
    "Turn one build request into a merged, green codebase by running hundreds of coding agents in parallel.",
  license: "MIT",
  type: "module",
  bin: { longshot: "dist/main.js" },
  files: ["dist", "github", "prompts", "README.md", "LICENSE"],
  engines: { node: ">=22.13" },
  keywords: ["coding-agents", "llm", "cli", "git", "merge-queue", "openai"],
  dependencies: Object.fromEntries(runtimeDependencies.map((pkg) => [pkg, lockVersion(pkg)])),
};
writeFileSync(join(release, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`bundled longshot ${source.version} into ${release}\n`);
