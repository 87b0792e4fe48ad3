import { createHash, randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";

/** An object type and its content, as stored. */
export interface StoredObject {
  readonly type: string;
  readonly content: Buffer;
}

/**
 * Reads and writes loose objects straight in a SHA-1 repository's object directory, as git
 * does: `<type> <size>\0<content>`, zlib-deflated, at `xx/yyyy…` of its id, read-only, moved
 * into place atomically. Synchronous on purpose: an object is a few kilobytes, and a busy event
 * loop makes every asynchronous step of a landing wait a whole turn. Only for repositories git
 * would write the same way (no shared-repository permissions, SHA-1 ids): the caller checks.
 * Objects in packs are not read here (`read` answers null); ask git for those.
 */
export class LooseObjectStore {
  readonly #objects: string;
  readonly #known = new Set<string>();

  /** `objects`: the absolute object directory (`git rev-parse --git-path objects`). */
  constructor(objects: string) {
    this.#objects = objects;
  }

  /** The loose object `sha`, or null when it is not stored loose (packed, or absent). */
  read(sha: string): StoredObject | null {
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(this.#path(sha)));
    } catch {
      return null;
    }
    const nul = raw.indexOf(0);
    const [type = "", size = ""] = raw.toString("latin1", 0, nul === -1 ? 0 : nul).split(" ");
    const content = raw.subarray(nul + 1);
    if (nul === -1 || Number(size) !== content.length) return null;
    return { type, content };
  }

  /** Writes the object (unless it is there already) and returns its id. */
  write(type: "blob" | "tree" | "commit", content: Buffer): string {
    const header = Buffer.from(`${type} ${content.length}\0`);
    const sha = createHash("sha1").update(header).update(content).digest("hex");
    if (this.#known.has(sha)) return sha;
    const path = this.#path(sha);
    if (!existsSync(path)) {
      const dir = join(this.#objects, sha.slice(0, 2));
      mkdirSync(dir, { recursive: true });
      const temporary = join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
      writeFileSync(temporary, deflateSync(Buffer.concat([header, content]), { level: 1 }), { mode: 0o444 });
      try {
        linkSync(temporary, path);
      } catch (error) {
        // Another writer stored the same object first: same id, same content.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        try {
          unlinkSync(temporary);
        } catch {
          // Already gone.
        }
      }
    }
    if (this.#known.size >= 65_536) this.#known.clear();
    this.#known.add(sha);
    return sha;
  }

  #path(sha: string): string {
    return join(this.#objects, sha.slice(0, 2), sha.slice(2));
  }
}

/**
 * The raw content of a tree object of `sorted` (in git's order already: see `inTreeOrder`; modes
 * as git stores them, without leading zeros), written into one buffer.
 */
export function treeContent(
  sorted: readonly {
    readonly mode: string;
    readonly sha: string;
    readonly name: string;
  }[],
): Buffer {
  let size = 0;
  for (const entry of sorted)
    size += entry.mode.length + Buffer.byteLength(entry.name) + entry.sha.length / 2 + 2;
  const content = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const entry of sorted) {
    offset += content.write(entry.mode, offset, "latin1");
    content[offset++] = 0x20;
    offset += content.write(entry.name, offset, "utf8");
    content[offset++] = 0;
    offset += content.write(entry.sha, offset, "hex");
  }
  return content;
}
