// Regenerates .env.example (and the README config table between its markers) from the config schema.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderConfigTable, renderEnvExample } from "../packages/core/dist/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(join(root, ".env.example"), renderEnvExample());
const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const start = "<!-- config-table:start -->";
const end = "<!-- config-table:end -->";
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from >= 0 && to > from) {
  writeFileSync(
    readmePath,
    `${readme.slice(0, from + start.length)}\n${renderConfigTable()}\n${readme.slice(to)}`,
  );
}
