import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { isAbsolute, join } from "node:path";
import { hostView } from "./host-view.js";
import { type KeeperPrograms, NamespaceKeeper } from "./namespace-keeper.js";

/** The program `name` on `path` (or `name` itself when absolute and executable), or null. */
export function findProgram(name: string, path: string): string | null {
  const candidates = isAbsolute(name) ? [name] : path.split(":").map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** Where the probe found the programs, or why local isolation cannot work here. */
export type BubblewrapProbe =
  | { readonly ok: true; readonly programs: KeeperPrograms }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether local sandboxes can be isolated on this machine: bubblewrap and util-linux's
 * nsenter, setpriv and prlimit are installed, and a sandbox namespace can actually be created
 * and entered (user namespaces may be disabled, or a container may forbid them). Resolves
 * with the programs, or with one sentence saying what is wrong.
 */
export async function probeBubblewrap(binary: string, path: string): Promise<BubblewrapProbe> {
  const found: Partial<Record<keyof KeeperPrograms, string>> = {};
  const wanted: [keyof KeeperPrograms, string, string][] = [
    ["bwrap", binary, "bubblewrap is not installed"],
    ["nsenter", "nsenter", "nsenter (util-linux) is not installed"],
    ["setpriv", "setpriv", "setpriv (util-linux) is not installed"],
    ["prlimit", "prlimit", "prlimit (util-linux) is not installed"],
    ["env", "env", "env (coreutils) is not installed"],
  ];
  for (const [key, name, missing] of wanted) {
    const program = findProgram(name, key === "bwrap" ? path : "/usr/bin:/bin");
    if (program === null) return { ok: false, problem: missing };
    found[key] = program;
  }
  const programs = found as KeeperPrograms;
  let keeper: NamespaceKeeper | null = null;
  try {
    keeper = await NamespaceKeeper.start({
      programs,
      view: hostView({ path }),
      mounts: null,
      network: false,
      scratchBytes: 1_048_576,
      path,
    });
    const argv = keeper.enterArgv(["/bin/sh", "-c", "exit 0"], "/tmp", { fileSizeBytes: 1_048_576 });
    const problem = await new Promise<string | null>((resolve) => {
      execFile(argv[0]!, argv.slice(1), { env: { PATH: path }, timeout: 10_000 }, (error, _out, stderr) =>
        resolve(error === null ? null : (stderr.trim().split("\n")[0] ?? "") || error.message),
      );
    });
    return problem === null ? { ok: true, programs } : { ok: false, problem };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  } finally {
    await keeper?.stop();
  }
}
