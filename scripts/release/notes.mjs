// Prints the CHANGELOG.md entry of one version (the GitHub release's notes).
//   node scripts/release/notes.mjs <version>
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const version = process.argv[2];
const text = readFileSync(join(root, "apps", "cli", "CHANGELOG.md"), "utf8");
const start = text.indexOf(`## ${version}\n`);
if (start < 0) {
  process.stdout.write(`longshot ${version}\n`);
} else {
  const end = text.indexOf("\n## ", start + 1);
  process.stdout.write(`${text.slice(start, end < 0 ? undefined : end).trim()}\n`);
}
