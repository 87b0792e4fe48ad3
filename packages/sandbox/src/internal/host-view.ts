import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/**
 * What of the host a local sandbox sees, besides its own workspace and git data: the system
 * directories read-only, a curated `/etc`, and the toolchain its PATH names. Nothing of the
 * user's home, `/root`, the repository or its `.git`, other worktrees or any `.env`.
 */
export interface HostView {
  /** bubblewrap arguments that build the read-only system part of the root. */
  readonly systemArgs: readonly string[];
  /** Toolchain directories (outside the system directories) bound read-only at the same path. */
  readonly toolchain: readonly string[];
}

/** Top-level system directories bound read-only (or recreated as the symlinks they are). */
const systemDirs = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * `/etc` entries a build needs: users and groups by name, name resolution files, the dynamic
 * linker, certificates, time zone, alternatives (symlink targets of /usr/bin), shell startup.
 * Left out on purpose: shadow, gshadow, ssh keys, `ssl/private`, gitconfig, npmrc, pip.conf,
 * environment, machine-id and anything else that can hold credentials or identify the host.
 */
export const etcAllowList: readonly string[] = [
  "passwd",
  "group",
  "hostname",
  "hosts",
  "nsswitch.conf",
  "host.conf",
  "gai.conf",
  "resolv.conf",
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "ca-certificates",
  "ca-certificates.conf",
  "ssl/certs",
  "ssl/openssl.cnf",
  "pki/tls/certs",
  "localtime",
  "timezone",
  "os-release",
  "debian_version",
  "lsb-release",
  "mime.types",
  "services",
  "protocols",
  "networks",
  "shells",
  "bash.bashrc",
  "profile",
  "inputrc",
  "magic",
  "magic.mime",
  "locale.alias",
  "fonts",
  "perl",
];
/** `/etc` entries by prefix: language runtimes' own configuration directories. */
const etcPrefixes = ["python3", "java-"];

/** Directories never bound as a toolchain, nor any directory containing them. */
const neverBound = [
  "/",
  "/etc",
  "/root",
  "/home",
  "/var",
  "/run",
  "/proc",
  "/sys",
  "/dev",
  "/tmp",
  "/boot",
  "/srv",
  "/mnt",
  "/media",
  "/opt",
  "/nix",
];

/** The file system calls `hostView` makes; inject others in tests. */
export interface HostViewFs {
  exists(path: string): boolean;
  /** The target of a symlink, or null when `path` is not one. */
  readLink(path: string): string | null;
  realPath(path: string): string | null;
  /** Entries of a directory (names), or [] when unreadable. */
  list(path: string): string[];
}

export const nodeHostViewFs: HostViewFs = {
  exists: (path) => existsSync(path),
  readLink: (path) => {
    try {
      return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
    } catch {
      return null;
    }
  },
  realPath: (path) => {
    try {
      return realpathSync(path);
    } catch {
      return null;
    }
  },
  list: (path) => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
};

export interface HostViewOptions {
  /** The PATH of sandbox commands; its non-system directories become the toolchain. */
  readonly path: string;
  /** More directories to bind read-only (package-manager caches, a toolchain elsewhere). */
  readonly readOnly?: readonly string[];
  /**
   * Paths that must stay invisible: no directory equal to one of them or containing one is
   * bound (the user's home, the repository, longshot's state).
   */
  readonly hidden?: readonly string[];
  readonly fs?: HostViewFs;
}

/** Computes the host view once per provider (it only reads the file system). */
export function hostView(options: HostViewOptions): HostView {
  const fs = options.fs ?? nodeHostViewFs;
  const systemArgs: string[] = [];
  for (const dir of systemDirs) {
    const link = fs.readLink(dir);
    if (link !== null) systemArgs.push("--symlink", link, dir);
    else if (fs.exists(dir)) systemArgs.push("--ro-bind", dir, dir);
  }
  systemArgs.push("--dir", "/etc");
  const etcEntries = fs.list("/etc").filter((name) => etcPrefixes.some((prefix) => name.startsWith(prefix)));
  for (const entry of [...etcAllowList, ...etcEntries]) {
    const path = join("/etc", entry);
    if (fs.exists(path)) systemArgs.push("--ro-bind", path, path);
  }
  return { systemArgs, toolchain: toolchainDirs(options, fs) };
}

function isSystem(path: string): boolean {
  return systemDirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
}

/** Whether `dir` is `path` or one of its ancestors. */
function contains(dir: string, path: string): boolean {
  return dir === path || dir === "/" || path.startsWith(`${dir}/`);
}

/**
 * For a program inside a `node_modules` tree, the outermost `node_modules` directory: a package
 * finds its dependencies beside it there (npm) or through links into the same store (pnpm's
 * `node_modules/.pnpm`), so binding only the package's own directory would not run it.
 */
function packageRootOf(target: string): string | null {
  const at = target.indexOf("/node_modules/");
  return at <= 0 ? null : target.slice(0, at + "/node_modules".length);
}

/**
 * The directories that make the PATH's tools work: for each PATH entry outside the system
 * directories, its prefix (the parent of a `bin` directory, where `lib` and `node_modules`
 * live), and the prefixes of the programs its symlinks point to (the whole `node_modules` tree
 * of a program installed in one). A directory that is, or
 * contains, a hidden path or a top-level system directory such as `/home` or `/etc` is never
 * bound; the entry itself is bound instead when that is safe.
 */
export function toolchainDirs(options: HostViewOptions, fs: HostViewFs = nodeHostViewFs): string[] {
  const hidden = (options.hidden ?? []).map((path) => resolve(path));
  const safe = (dir: string): boolean =>
    !neverBound.includes(dir) && !hidden.some((path) => contains(dir, path)) && !isSystem(dir);
  const chosen: string[] = [];
  const covered = (path: string): boolean => isSystem(path) || chosen.some((dir) => contains(dir, path));
  const add = (dir: string, fallback: string | null): void => {
    const candidate = safe(dir) ? dir : fallback !== null && safe(fallback) ? fallback : null;
    if (candidate === null || covered(candidate)) return;
    for (let index = chosen.length - 1; index >= 0; index--) {
      if (contains(candidate, chosen[index]!)) chosen.splice(index, 1);
    }
    chosen.push(candidate);
  };
  const entries = options.path.split(":").filter((entry) => isAbsolute(entry));
  for (const extra of options.readOnly ?? []) {
    const real = fs.realPath(extra);
    if (real !== null) add(real, null);
  }
  for (const entry of entries) {
    const real = fs.realPath(entry);
    if (real === null || isSystem(real)) continue;
    add(dirname(real), real);
    for (const name of fs.list(real).slice(0, 500)) {
      if (fs.readLink(join(real, name)) === null) continue;
      const target = fs.realPath(join(real, name));
      if (target === null || covered(target)) continue;
      add(packageRootOf(target) ?? dirname(dirname(target)), dirname(target));
    }
  }
  return chosen;
}
