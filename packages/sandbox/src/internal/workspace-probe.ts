import { posix } from "node:path";
import type { PathResolverFs } from "../path-guard.js";

/** What is at a resolved path. */
export type WorkspacePathKind = "file" | "directory" | "other" | "missing";

/**
 * For each candidate path: `R\0path\0realpath\0type\0` (type `d`, `f` or `o`) when it exists,
 * `L\0path\0` when it is a dangling symlink, `M\0path\0` when it is missing.
 */
const probeScript =
  'for p; do if r=$(realpath -e -- "$p" 2>/dev/null); then if [ -d "$r" ]; then t=d; elif [ -f "$r" ]; then t=f; else t=o; fi; ' +
  'printf "R\\0%s\\0%s\\0%s\\0" "$p" "$r" "$t"; elif [ -L "$p" ]; then printf "L\\0%s\\0" "$p"; else printf "M\\0%s\\0" "$p"; fi; done';

/** The argv of one probe answering every question `resolveWorkspacePath` asks about `relative`. */
export function probeArgv(workdir: string, relative: string): string[] {
  const parts = relative === "" ? [] : relative.split("/");
  const candidates = [workdir, ...parts.map((_, index) => posix.join(workdir, ...parts.slice(0, index + 1)))];
  return ["/bin/sh", "-c", probeScript, "sh", ...candidates];
}

/** A `PathResolverFs` answering from the probe's output, plus the kind of every existing real path. */
export function probeTable(output: string): {
  readonly fs: PathResolverFs;
  readonly kinds: ReadonlyMap<string, WorkspacePathKind>;
} {
  const fields = output.split("\0");
  const real = new Map<string, string>();
  const kinds = new Map<string, WorkspacePathKind>();
  const links = new Set<string>();
  for (let index = 0; index < fields.length; ) {
    const kind = fields[index];
    const path = fields[index + 1] ?? "";
    if (kind === "R") {
      const target = fields[index + 2] ?? "";
      real.set(path, target);
      const type = fields[index + 3];
      kinds.set(target, type === "d" ? "directory" : type === "f" ? "file" : "other");
      index += 4;
    } else {
      if (kind === "L") links.add(path);
      index += 2;
    }
  }
  const fs: PathResolverFs = {
    realpath: async (path) => {
      const found = real.get(path);
      if (found === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return found;
    },
    isSymlink: async (path) => links.has(path),
  };
  return { fs, kinds };
}
