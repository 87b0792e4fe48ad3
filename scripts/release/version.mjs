// Bumps the version of the `longshot` package (apps/cli/package.json) and opens its entry in
// apps/cli/CHANGELOG.md with the commits since the last tag; then commit, tag v<version> and push
// the tag: .github/workflows/release.yml publishes it.
//
//   node scripts/release/version.mjs patch|minor|major|<x.y.z>
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const manifestPath = join(root, "apps", "cli", "package.json");
const changelogPath = join(root, "apps", "cli", "CHANGELOG.md");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const bump = process.argv[2];

function next(current, kind) {
  if (/^\d+\.\d+\.\d+$/.test(kind ?? "")) return kind;
  const [major, minor, patch] = current.split(".").map(Number);
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  if (kind === "patch") return `${major}.${minor}.${patch + 1}`;
  process.stderr.write("usage: node scripts/release/version.mjs patch|minor|major|<x.y.z>\n");
  process.exit(2);
}

const version = next(manifest.version, bump);
const git = (...args) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
const lastTag = (() => {
  try {
    return git("describe", "--tags", "--abbrev=0", "--match", "v*");
  } catch {
    return null;
  }
})();
const subjects = git("log", "--format=%s", ...(lastTag ? [`${lastTag}..HEAD`] : []), "--", "apps", "packages")
  .split("\n")
  .filter(Boolean);
manifest.version = version;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
const previous = existsSync(changelogPath)
  ? readFileSync(changelogPath, "utf8").replace(/^# Changelog\n+/, "")
  : "";
const entry = [`## ${version}`, "", ...subjects.map((subject) => `- ${subject}`), ""].join("\n");
writeFileSync(changelogPath, `# Changelog\n\n${entry}\n${previous}`);
process.stdout.write(
  `longshot ${version}: edit apps/cli/CHANGELOG.md, then\n  git commit -am "longshot ${version}" && git tag v${version} && git push origin v${version}\n`,
);
