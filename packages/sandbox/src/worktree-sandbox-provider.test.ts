import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeSandboxConformance } from "./conformance.js";
import { probeCgroups } from "./internal/cgroup-limits.js";
import type { Sandbox } from "./sandbox.js";
import { WorktreeSandboxProvider, type WorktreeSandboxProviderOptions } from "./worktree-sandbox-provider.js";

function testRoot(): string {
  const parent = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const root = mkdtempSync(join(parent, "longshot-sandbox-test-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Processes whose command line contains the marker, or whose environment names the sandbox. */
function processesOf(sandbox: Sandbox, marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (cmdline.includes(marker) || environ.includes(`LONGSHOT_SANDBOX=${sandbox.id}/`)) {
        found.push(`process ${pid}: ${cmdline}`);
      }
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/** Whether this machine lets each sandbox have a cgroup (then CPU and memory are enforced). */
const limited = (await probeCgroups()).ok;

function localSuite(name: string, options: WorktreeSandboxProviderOptions): void {
  const root = testRoot();
  const providers: WorktreeSandboxProvider[] = [];
  describeSandboxConformance(name, {
    makeProvider: () => {
      const provider = new WorktreeSandboxProvider({ ...options, root });
      providers.push(provider);
      return provider;
    },
    leftovers: async (sandbox, { marker, repoPath }) => {
      const problems = processesOf(sandbox, marker);
      const pooled = (await Promise.all(providers.map((provider) => provider.slots()))).flat();
      const idle = pooled.some((entry) => entry.workdir === sandbox.workdir && entry.state === "idle");
      const registered = execFileSync("git", ["worktree", "list", "--porcelain"], {
        cwd: repoPath,
        encoding: "utf8",
      });
      if (!idle && existsSync(sandbox.workdir)) problems.push(`worktree ${sandbox.workdir} still exists`);
      if (!idle && registered.includes(`worktree ${sandbox.workdir}\n`)) {
        problems.push(`worktree ${sandbox.workdir} is still registered in the repository`);
      }
      if (idle) {
        const status = execFileSync("git", ["status", "--porcelain", "--ignored"], {
          cwd: sandbox.workdir,
          encoding: "utf8",
        });
        if (status !== "") problems.push(`pooled worktree ${sandbox.workdir} is not clean: ${status}`);
      }
      return problems;
    },
    isolation:
      options.bubblewrap === false
        ? { network: false, filesystem: false, processes: false, cpu: false, memory: false }
        : { network: true, filesystem: true, processes: true, cpu: limited, memory: limited },
    hostAddress: "127.0.0.1",
  });
}

localSuite("local worktree under bubblewrap, warm pool", { warmPoolSize: 2 });
localSuite("local worktree unwrapped (none), no pool, built-in search", {
  bubblewrap: false,
  warmPoolSize: 0,
  ripgrep: false,
});
