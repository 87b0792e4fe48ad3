import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The published package, tested as a user gets it: `npm pack` of apps/cli/release (what
// `pnpm build` bundles), `npm install -g` of the tarball into an empty prefix (its two runtime
// dependencies come from the npm registry), then `longshot --help` and a whole `longshot demo`.
const release = fileURLToPath(new URL("../release/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "longshot-package-"));
const prefix = join(work, "prefix");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    // The same Node that runs the tests runs npm and the installed CLI.
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
      npm_config_prefix: prefix,
    },
  });
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Generous limits: the install downloads dockerode and e2b, and the demo is a whole run (about
// 40 tasks, build and tests), on a machine that may be loaded. Neither is a speed check.
describe("the published package", { timeout: 15 * 60_000 }, () => {
  let tarball = "";

  it("packs without tests, sources or build info, and with bin, engines and a README", () => {
    const name = npm(["pack", "--pack-destination", work], release).trim().split("\n").at(-1)!;
    tarball = join(work, name);
    expect(name).toMatch(/^longshot-\d+\.\d+\.\d+\.tgz$/);
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    expect(files).toContain("package/dist/main.js");
    expect(files).toContain("package/README.md");
    expect(files).toContain("package/prompts/plan.md");
    expect(
      files.filter((file) => /\.test\.|tsbuildinfo|\.map$|\.ts$|__fixtures__|\/src\//.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(release, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      name: "longshot",
      bin: { longshot: "dist/main.js" },
      engines: { node: ">=22.13" },
    });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["dockerode", "e2b", "modal"]);
    for (const version of Object.values(manifest.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("installs into an empty prefix and runs --help and a green demo", () => {
    npm(["install", "--global", tarball], work);
    const bin = join(prefix, "bin", "longshot");
    expect(existsSync(bin)).toBe(true);
    const env = {
      PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: work,
      LANG: "C.UTF-8",
      NO_COLOR: "1",
    };
    const help = spawnSync("longshot", ["--help"], { env, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("longshot demo");
    const demoDir = join(work, "demo");
    const demo = spawnSync("longshot", ["demo", "--no-dashboard", "--pace", "0", "--dir", demoDir], {
      env,
      encoding: "utf8",
      cwd: work,
    });
    expect(demo.stderr).toContain("the model is SIMULATED");
    expect(demo.stderr).toMatch(/run ended green/);
    expect(demo.status).toBe(0);
    const [runId, status] = demo.stdout.trim().split(" ");
    expect(status).toBe("green");
    expect(readdirSync(join(demoDir, "sample-utils", ".git", "longshot", "runs"))).toContain(runId);
  });

  it("runs with npx straight from the tarball", () => {
    const result = spawnSync("npx", ["--yes", "--package", tarball, "longshot", "--version"], {
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
        npm_config_cache: join(work, "npx-cache"),
      },
      encoding: "utf8",
      cwd: work,
    });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.stdout.trim()).toMatch(/^longshot \d+\.\d+\.\d+$/);
    expect(result.status).toBe(0);
  });
});
