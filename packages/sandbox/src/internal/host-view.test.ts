import { describe, expect, it } from "vitest";
import { type HostViewFs, hostView, toolchainDirs } from "./host-view.js";

/** A file system of directories, symlinks (name → target) and their listings. */
function fakeFs(tree: {
  readonly dirs: readonly string[];
  readonly links?: Readonly<Record<string, string>>;
}): HostViewFs {
  const links = tree.links ?? {};
  const real = (path: string): string | null => {
    for (const [link, target] of Object.entries(links)) {
      if (path === link) return real(target);
      if (path.startsWith(`${link}/`)) return real(`${target}${path.slice(link.length)}`);
    }
    return tree.dirs.some((dir) => dir === path || dir.startsWith(`${path}/`)) ? path : null;
  };
  return {
    exists: (path) => real(path) !== null || path in links,
    readLink: (path) => links[path] ?? null,
    realPath: real,
    list: (path) => [
      ...new Set(
        [...Object.keys(links), ...tree.dirs]
          .filter((entry) => entry.startsWith(`${path}/`))
          .map((entry) => entry.slice(path.length + 1).split("/")[0]!),
      ),
    ],
  };
}

describe("toolchainDirs", () => {
  it("binds a PATH entry's prefix, and the prefixes its symlinks point into", () => {
    const fs = fakeFs({
      dirs: ["/opt/node/bin", "/opt/node/lib", "/srv/tools/pnpm/bin/pnpm.cjs"],
      links: { "/opt/node/bin/pnpm": "/srv/tools/pnpm/bin/pnpm.cjs" },
    });
    expect(toolchainDirs({ path: "/opt/node/bin:/usr/bin" }, fs)).toEqual(["/opt/node", "/srv/tools/pnpm"]);
  });

  it("binds the whole node_modules tree of a program linked from a package store, where its dependencies are", () => {
    const store = "/work/app/node_modules/.pnpm/@openai+codex@1.0.0/node_modules/@openai/codex";
    const fs = fakeFs({
      dirs: ["/srv/bins", `${store}/bin/codex.js`, "/work/app/node_modules/.pnpm/dep@1.0.0/node_modules/dep"],
      links: { "/srv/bins/codex": `${store}/bin/codex.js` },
    });
    expect(toolchainDirs({ path: "/srv/bins:/usr/bin", hidden: ["/work/app/repo"] }, fs)).toEqual([
      "/srv/bins",
      "/work/app/node_modules",
    ]);
  });

  it("never binds a hidden path or a directory holding one, falling back to the entry itself", () => {
    const fs = fakeFs({ dirs: ["/home/ann/bin", "/home/ann/.ssh", "/work/repo/tools/bin"] });
    const dirs = toolchainDirs(
      { path: "/home/ann/bin:/work/repo/tools/bin", hidden: ["/home/ann", "/work/repo/tools"] },
      fs,
    );
    expect(dirs).toEqual(["/home/ann/bin", "/work/repo/tools/bin"]);
    expect(
      toolchainDirs(
        { path: "/home/bin:/tmp/bin:/bin2" },
        fakeFs({ dirs: ["/home/bin", "/tmp/bin", "/bin2"] }),
      ),
    ).toEqual(["/home/bin", "/tmp/bin", "/bin2"]);
  });

  it("leaves out system directories and relative PATH entries", () => {
    const fs = fakeFs({ dirs: ["/usr/local/bin", "/usr/bin"] });
    expect(toolchainDirs({ path: "/usr/local/bin:/usr/bin:node_modules/.bin:." }, fs)).toEqual([]);
  });
});

describe("hostView", () => {
  it("recreates merged-/usr symlinks and binds only allow-listed /etc entries", () => {
    const fs = fakeFs({
      dirs: [
        "/usr/bin",
        "/usr/lib",
        "/etc/passwd",
        "/etc/shadow",
        "/etc/ssh",
        "/etc/python3.11",
        "/etc/ssl/certs",
      ],
      links: { "/bin": "usr/bin", "/lib": "usr/lib" },
    });
    const args = hostView({ path: "/usr/bin", fs }).systemArgs.join(" ");
    expect(args).toContain("--ro-bind /usr /usr");
    expect(args).toContain("--symlink usr/bin /bin");
    expect(args).toContain("--ro-bind /etc/passwd /etc/passwd");
    expect(args).toContain("--ro-bind /etc/python3.11 /etc/python3.11");
    expect(args).toContain("--ro-bind /etc/ssl/certs /etc/ssl/certs");
    expect(args).not.toContain("shadow");
    expect(args).not.toContain("/etc/ssh");
  });
});
