// Reads the output of `turbo run test` and prints, last, how long each package's tests took and
// which test files and tests failed, with the first lines of each failure's error: the part of a
// long CI log that is read first (and often the only part kept).
import { readFileSync } from "node:fs";

const esc = String.fromCharCode(27);
const text = readFileSync(process.argv[2] ?? 0, "utf8").replace(new RegExp(`${esc}\\[[0-9;]*m`, "g"), "");
const lines = text.split("\n");
const durations = [];
const failures = [];
const reasons = new Map();
lines.forEach((line, index) => {
  const duration = /^(@[\w/-]+):test:\s+Duration\s+([\d.]+)(m?s)/.exec(line);
  if (duration) {
    const seconds = Number(duration[2]) / (duration[3] === "ms" ? 1000 : 1);
    durations.push([duration[1], seconds]);
  }
  const failed = /^(@[\w/-]+):test:\s+(?:FAIL|×|✗)\s+(.*)$/.exec(line);
  if (!failed) return;
  const name = `${failed[1]}: ${failed[2].trim()}`;
  failures.push(name);
  // vitest's detailed report puts the error right under "FAIL <file> > <test>", up to the first
  // source location ("❯ file:line").
  if (!/^FAIL\s/.test(line.slice(line.indexOf(":test:") + 6).trim())) return;
  const error = [];
  for (const next of lines.slice(index + 1, index + 14)) {
    const body = next.startsWith(`${failed[1]}:test:`) ? next.slice(failed[1].length + 6).trim() : "";
    if (body.startsWith("❯") || body.startsWith("FAIL") || body.startsWith("⎯")) break;
    if (body !== "") error.push(body.slice(0, 200));
  }
  if (error.length > 0) reasons.set(name, error.slice(0, 8));
});
console.log("\ntest summary (seconds per package, slowest first)");
for (const [name, seconds] of durations.sort((a, b) => b[1] - a[1])) {
  console.log(`  ${seconds.toFixed(1).padStart(7)}  ${name}`);
}
const unique = [...new Set(failures)];
console.log(unique.length === 0 ? "no failed tests reported" : `failed (${unique.length}):`);
for (const failure of unique.slice(0, 40)) {
  console.log(`  ${failure}`);
  for (const reason of reasons.get(failure) ?? []) console.log(`      ${reason}`);
}
