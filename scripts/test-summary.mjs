// Reads the output of `turbo run test` and prints, last, how long each package's tests took and
// which test files and tests failed: the part of a long CI log that is read first.
import { readFileSync } from "node:fs";

const esc = String.fromCharCode(27);
const text = readFileSync(process.argv[2] ?? 0, "utf8").replace(new RegExp(`${esc}\\[[0-9;]*m`, "g"), "");
const durations = [];
const failures = [];
for (const line of text.split("\n")) {
  const duration = /^(@[\w/-]+):test:\s+Duration\s+([\d.]+)(m?s)/.exec(line);
  if (duration) {
    const seconds = Number(duration[2]) / (duration[3] === "ms" ? 1000 : 1);
    durations.push([duration[1], seconds]);
  }
  const failed = /^(@[\w/-]+):test:\s+(?:FAIL|×|✗)\s+(.*)$/.exec(line);
  if (failed) failures.push(`${failed[1]}: ${failed[2].trim()}`);
}
console.log("\ntest summary (seconds per package, slowest first)");
for (const [name, seconds] of durations.sort((a, b) => b[1] - a[1])) {
  console.log(`  ${seconds.toFixed(1).padStart(7)}  ${name}`);
}
const unique = [...new Set(failures)];
console.log(unique.length === 0 ? "no failed tests reported" : `failed (${unique.length}):`);
for (const failure of unique.slice(0, 40)) console.log(`  ${failure}`);
