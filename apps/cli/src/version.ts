import { readFileSync } from "node:fs";

let cached: string | null = null;

/**
 * longshot's version, from the package.json beside the code: `apps/cli/package.json` from a
 * checkout, the published package's own from an install (the bundle sits in `dist/` of both).
 */
export function cliVersion(): string {
  if (cached !== null) return cached;
  try {
    const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
    const parsed: unknown = JSON.parse(text);
    const version =
      typeof parsed === "object" && parsed !== null && "version" in parsed ? parsed.version : undefined;
    cached = typeof version === "string" ? version : "unknown";
  } catch {
    cached = "unknown";
  }
  return cached;
}
