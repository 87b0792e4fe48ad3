import { createHash, randomBytes } from "node:crypto";
import { access, link, mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

/**
 * Writes objects straight into a SHA-1 repository's object directory, as git writes loose
 * objects: `<type> <size>\0<content>`, zlib-deflated, at `xx/yyyy…` of its id, read-only, moved
 * into place atomically. For repositories git would write the same way (no shared-repository
 * permissions, SHA-1 ids); the caller checks that first.
 */
export class LooseObjectWriter {
  readonly #objects: string;
  readonly #known = new Set<string>();

  /** `objects`: the absolute object directory (`git rev-parse --git-path objects`). */
  constructor(objects: string) {
    this.#objects = objects;
  }

  /** Writes the object (unless it is there already) and resolves with its id. */
  async write(type: "blob" | "tree" | "commit", content: Buffer): Promise<string> {
    const header = Buffer.from(`${type} ${content.length}\0`);
    const sha = createHash("sha1").update(header).update(content).digest("hex");
    if (this.#known.has(sha)) return sha;
    const dir = join(this.#objects, sha.slice(0, 2));
    const path = join(dir, sha.slice(2));
    if (!(await exists(path))) {
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
      await writeFile(temporary, deflateSync(Buffer.concat([header, content]), { level: 1 }), {
        mode: 0o444,
      });
      try {
        await link(temporary, path);
      } catch (error) {
        // Another writer stored the same object first: same id, same content.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        await unlink(temporary).catch(() => undefined);
      }
    }
    if (this.#known.size >= 65_536) this.#known.clear();
    this.#known.add(sha);
    return sha;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The raw content of a tree object of `entries`, sorted as git sorts them. */
export function treeContent(
  entries: readonly {
    readonly mode: string;
    readonly sha: string;
    readonly name: string;
    readonly tree: boolean;
  }[],
): Buffer {
  const sorted = [...entries].sort((a, b) =>
    Buffer.compare(Buffer.from(a.tree ? `${a.name}/` : a.name), Buffer.from(b.tree ? `${b.name}/` : b.name)),
  );
  return Buffer.concat(
    sorted.flatMap((entry) => [Buffer.from(`${entry.mode} ${entry.name}\0`), Buffer.from(entry.sha, "hex")]),
  );
}
