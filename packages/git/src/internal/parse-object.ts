import { isUtf8 } from "node:buffer";
import type { CommitInfo, Identity, TreeEntry } from "../types.js";

/** The object is stored in a form this reader does not interpret the way git would (say so, and ask git). */
export class UnsupportedObject extends Error {}

/** git's `isspace` (sane-ctype): space, tab, line feed, carriage return. */
const trimEnd = (text: string): string => text.replace(/[ \t\n\r]+$/, "");
const blank = (line: string): boolean => trimEnd(line) === "";

/**
 * Parses a raw commit object as `git log --format=%H%T%P%an%ae%aI%cn%ce%s%B` would show it, with
 * the trailing newlines of the message removed (as {@link CommitInfo} has it). `isoUtcAsZ`:
 * git 2.45 and newer write a UTC date as `Z`, older ones as `+00:00`. Throws
 * `UnsupportedObject` for a commit in another encoding than UTF-8 (git would re-encode it).
 */
export function parseRawCommit(sha: string, raw: Buffer, isoUtcAsZ: boolean): CommitInfo {
  const text = raw.toString("utf8");
  const headerEnd = text.indexOf("\n\n");
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  // %B: everything after the blank line that ends the header.
  const body = headerEnd === -1 ? "" : text.slice(headerEnd + 2);
  let tree = "";
  const parents: string[] = [];
  let author: Identity = { name: "", email: "" };
  let authorDate = "";
  let committer: Identity = { name: "", email: "" };
  for (const line of header.split("\n")) {
    if (line.startsWith(" ")) continue; // A continuation of a multi-line header (gpgsig, mergetag).
    const space = line.indexOf(" ");
    const key = space === -1 ? line : line.slice(0, space);
    const value = space === -1 ? "" : line.slice(space + 1);
    switch (key) {
      case "tree":
        tree = value;
        break;
      case "parent":
        parents.push(value);
        break;
      case "author": {
        const parsed = parseIdent(value);
        author = parsed.identity;
        authorDate = strictIso(parsed.timestamp, parsed.zone, isoUtcAsZ);
        break;
      }
      case "committer":
        committer = parseIdent(value).identity;
        break;
      case "encoding":
        if (!/^utf-?8$/i.test(value.trim())) throw new UnsupportedObject(`commit ${sha} is in ${value}`);
        break;
    }
  }
  return {
    sha,
    tree,
    parents,
    author,
    authorDate,
    committer,
    subject: subjectOf(body),
    message: body.replace(/\n+$/, ""),
  };
}

/** `%s`: the first paragraph after leading blank lines, each line right-trimmed, joined by spaces. */
function subjectOf(body: string): string {
  const lines = body.split("\n");
  let index = 0;
  while (index < lines.length && blank(lines[index] ?? "")) index += 1;
  const subject: string[] = [];
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (blank(line)) break;
    subject.push(trimEnd(line));
  }
  return subject.join(" ");
}

/** `Name <email> 1700000000 +0100`, read as git's split_ident_line reads it. */
function parseIdent(value: string): { identity: Identity; timestamp: number; zone: number } {
  const open = value.indexOf("<");
  const close = open === -1 ? -1 : value.indexOf(">", open + 1);
  if (open === -1 || close === -1)
    return { identity: { name: value.trim(), email: "" }, timestamp: 0, zone: 0 };
  // Leading spaces stay, as git keeps them; trailing ones go.
  const name = value.slice(0, open);
  const [stamp = "0", zone = "+0000"] = value
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  return {
    identity: { name: trimEnd(name), email: value.slice(open + 1, close) },
    timestamp: Number(stamp),
    zone: Number.parseInt(zone, 10) || 0,
  };
}

/** `%aI`: the date in its own time zone, `2023-11-14T20:43:20-01:30`. */
function strictIso(timestamp: number, zone: number, utcAsZ: boolean): string {
  const sign = zone < 0 ? -1 : 1;
  const hours = Math.trunc(Math.abs(zone) / 100);
  const minutes = Math.abs(zone) % 100;
  const local = new Date((timestamp + sign * (hours * 3600 + minutes * 60)) * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (zone === 0 && utcAsZ) return `${date}T${time}Z`;
  return `${date}T${time}${sign < 0 ? "-" : "+"}${pad(hours)}:${pad(minutes)}`;
}

/**
 * Parses a raw tree object (`<mode> <name>\0<id bytes>` repeated). Throws `UnsupportedObject`
 * for a name that is not UTF-8, which could not be written back unchanged.
 */
export function parseRawTree(raw: Buffer, idBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const space = raw.indexOf(32, offset);
    const nul = raw.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 1 + idBytes > raw.length) {
      throw new UnsupportedObject("a tree entry is cut short");
    }
    const read = raw.toString("latin1", offset, space);
    // Parsed trees are kept by the thousand: every entry shares one string per mode.
    const mode = commonModes.get(read) ?? read;
    const nameBytes = raw.subarray(space + 1, nul);
    // Valid UTF-8 decodes and encodes back to the same bytes; anything else would not.
    if (!isUtf8(nameBytes)) throw new UnsupportedObject(`a tree entry name is not UTF-8`);
    const name = nameBytes.toString("utf8");
    const sha = raw.toString("hex", nul + 1, nul + 1 + idBytes);
    entries.push({ mode, type: typeOfMode(mode), sha, name });
    offset = nul + 1 + idBytes;
  }
  return entries;
}

const commonModes = new Map(["100644", "100755", "120000", "40000", "160000"].map((mode) => [mode, mode]));

/** The object type a tree entry's mode points at. */
export function typeOfMode(mode: string): TreeEntry["type"] {
  if (mode === "40000" || mode === "040000") return "tree";
  if (mode === "160000") return "commit";
  return "blob";
}
