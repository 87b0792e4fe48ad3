import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { RemotePaths } from "../../remote/remote-sandbox.js";
import type { SandboxIsolation, SandboxProvider } from "../../sandbox.js";
import type { ConformanceSetup } from "./context.js";

/** How a remote provider's test file runs the shared suite against its service's offline fake. */
export interface OfflineRemoteSetup {
  /** The isolation every sandbox of the provider must report. */
  readonly isolation: SandboxIsolation;
  /** The home directory of a machine, below its root (E2B's `home`, Modal's `root`); the workdir is `<home>/workspace`. */
  readonly home: string;
  /** A provider over the fake with these settings (paths point into a fresh machine directory). */
  makeProvider(options: {
    readonly workspaceRoot: string;
    readonly scope: string;
    readonly paths?: RemotePaths;
  }): SandboxProvider;
}

/**
 * The shared suite's setup for a remote provider talking to its service's offline fake (which
 * runs commands on this machine): every sandbox gets a fresh machine directory, as every remote
 * sandbox is a fresh machine; everything is removed after the suite.
 */
export function offlineRemoteSetup(name: string, setup: OfflineRemoteSetup): ConformanceSetup {
  const root = mkdtempSync(join(tmpdir(), `longshot-${name}-offline-`));
  const workspaceRoot = join(root, "bundles");
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let machines = 0;
  const freshMachine = (): RemotePaths => {
    machines += 1;
    const machine = join(root, `machine-${machines}`);
    const home = join(machine, setup.home);
    mkdirSync(home, { recursive: true });
    mkdirSync(join(machine, "tmp"));
    return { workdir: join(home, "workspace"), home, tmpDir: join(machine, "tmp") };
  };
  const options = { workspaceRoot, scope: `${name}-offline-conformance` };
  return {
    makeProvider: () => {
      const base = setup.makeProvider(options);
      return {
        name: base.name,
        create: (create) => setup.makeProvider({ ...options, paths: freshMachine() }).create(create),
        cleanOrphans: (liveIds, extra) => base.cleanOrphans(liveIds, extra),
        close: () => base.close(),
      };
    },
    isolation: setup.isolation,
    leftovers: async (sandbox) =>
      existsSync(join(workspaceRoot, sandbox.id)) ? [`directory ${join(workspaceRoot, sandbox.id)}`] : [],
  };
}
