import { createHash } from "node:crypto";

/**
 * The shape of a message: what stays the same when the same problem shows up again at another
 * line, in another temp directory, after another run. `root` (the checkout's path) is removed
 * so paths read as repository-relative.
 */
export function normalizeMessage(text: string, root?: string): string {
  let shape = root === undefined || root === "" ? text : text.split(`${root.replace(/\/$/, "")}/`).join("");
  shape = shape
    .replace(/(?:\/private)?\/(?:tmp|var\/folders|var\/tmp)\/[^\s'"`):]+/g, "<tmp>")
    .replace(/[A-Za-z]:\\[^\s'"]*\\Temp\\[^\s'"]+/g, "<tmp>")
    .replace(/\b[0-9a-f]{7,64}\b/gi, (hex) => (/\d/.test(hex) && /[a-f]/i.test(hex) ? "<hex>" : hex))
    .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
    .replace(/[:(]\d+[:,]\d+\)?/g, "")
    .replace(/:\d+\b/g, "")
    .replace(/\b\d+(\.\d+)?\s?(ms|s|sec|seconds)\b/g, "<time>")
    .replace(/\d+(\.\d+)?/g, "N")
    .replace(/\s+/g, " ")
    .trim();
  return shape.length > 200 ? shape.slice(0, 200) : shape;
}

/** A test name without durations and retry counters, so reruns match. */
export function normalizeTestName(name: string): string {
  return name
    .replace(/\s*\(\d+(\.\d+)?\s?m?s\)\s*$/, "")
    .replace(/\s*\[retry \d+\]$/i, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** `<check>:<12 hex>`, stable for equal parts. */
export function fingerprintOf(parts: {
  readonly check: string;
  readonly file: string | null;
  readonly test: string | null;
  readonly code: string | null;
  readonly message: string;
}): string {
  const key = [parts.check, parts.file ?? "", parts.test ?? "", parts.code ?? "", parts.message].join(
    "\u0000",
  );
  return `${parts.check}:${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}
