import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeCgroups } from "@longshot/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeServerProcess,
  footprint,
  freshSampleRepos,
  runCli,
  runEnv,
  startFakeServer,
} from "./__fixtures__/cli-harness.js";

// No isolation, no run: a run whose provider cannot contain agent code refuses before it
// writes anything, unless the user opts out explicitly, and then says so in red and in the report.
let server: FakeServerProcess;
let scratch: string;
const fresh = freshSampleRepos(3);

beforeAll(async () => {
  server = await startFakeServer({ SWARM_MODULES: "3" });
  scratch = mkdtempSync(join(tmpdir(), "longshot-isolation-e2e-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("a run without isolation", () => {
  it("refuses with exit 2 and one sentence when bubblewrap is missing, changing nothing", async () => {
    const repo = fresh();
    const before = footprint(repo);
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
      runEnv(server.url, { LONGSHOT_BWRAP: join(scratch, "no-such-bwrap") }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      "error: Local sandboxes cannot be isolated here (bubblewrap is not installed); install bubblewrap (apt-get install bubblewrap), allow unprivileged user namespaces, choose --sandbox docker, or opt out explicitly with SANDBOX_PROVIDER=none.",
    ]);
    expect(footprint(repo)).toBe(before);
  });

  it("refuses when bubblewrap is installed but cannot create namespaces here", async () => {
    const repo = fresh();
    const fake = join(scratch, "bwrap-without-userns");
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const before = footprint(repo);
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
      runEnv(server.url, { LONGSHOT_BWRAP: fake }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: Local sandboxes cannot be isolated here \(bwrap: No permissions to creating new namespace.*\); install bubblewrap/,
    );
    expect(footprint(repo)).toBe(before);
  });

  it("refuses the docker provider when no engine answers", async () => {
    const repo = fresh();
    const before = footprint(repo);
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
      runEnv(server.url, {
        SANDBOX_PROVIDER: "docker",
        DOCKER_HOST: `unix://${join(scratch, "no-docker.sock")}`,
      }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: SANDBOX_PROVIDER=docker but no Docker engine answers .*; start dockerd or set DOCKER_HOST\.\n$/,
    );
    expect(footprint(repo)).toBe(before);
  });

  it("runs unisolated only when opted out, saying so in red at the start and in the report", async () => {
    const repo = fresh();
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
      runEnv(server.url, { SANDBOX_PROVIDER: "none", LONGSHOT_BWRAP: join(scratch, "no-such-bwrap") }),
    );
    expect(result.stderr).toContain(
      "WARNING: SANDBOX_PROVIDER=none: agent commands, builds and tests run on this machine with your user's rights, unisolated.",
    );
    expect(result.code).toBe(0);
    const runs = join(repo.repo, ".git", "longshot", "runs");
    const [runId] = readdirSync(runs);
    const report = readFileSync(join(runs, runId!, "report.md"), "utf8");
    expect(report).toContain("**Unsandboxed:** this run used `SANDBOX_PROVIDER=none`");
    expect(readFileSync(join(runs, runId!, "report.html"), "utf8")).toContain("Unsandboxed:");
  });
});

// `longshot doctor` tells, before any run, which isolation a run would get and which limits
// hold: a pass where a run would start, a failure with the fix where it would refuse.
describe("longshot doctor on isolation", () => {
  const sandboxLine = (stdout: string) => stdout.split("\n").find((line) => / sandbox local /.test(line));

  it("reports bubblewrap isolation and its limits, saying whether CPU and memory are enforced here", async () => {
    const repo = fresh();
    const result = await runCli(
      ["doctor", "--repo", repo.repo],
      runEnv(server.url, { SANDBOX_DISK_MB: "512", SANDBOX_CPU_CORES: "2", SANDBOX_MEMORY_MB: "1024" }),
    );
    const cgroups = await probeCgroups();
    expect(sandboxLine(result.stdout)).toMatch(
      /^ok +sandbox local +local sandboxes run under bubblewrap: no network, read-only system, only the task's worktree writable, own processes$/,
    );
    expect(result.stdout).toMatch(
      cgroups.ok
        ? /^ok +limits +private \/tmp and \$HOME of 512 MB per sandbox, no file over 512 MB, the worktree may grow by 512 MB; 2 CPU cores and 1024 MB of memory per sandbox \(a cgroup each\)$/m
        : /^ok +limits +private \/tmp and \$HOME of 512 MB per sandbox, no file over 512 MB, the worktree may grow by 512 MB; CPU and memory limits are not enforced by local sandboxes here: .+ \(run as a user who may create cgroups, or use --sandbox docker for SANDBOX_CPU_CORES and SANDBOX_MEMORY_MB\)$/m,
    );
    expect(result.code, result.stdout).toBe(0);
  });

  it("fails on a missing bubblewrap with the fix, claiming no limits, exactly as the run refuses", async () => {
    const repo = fresh();
    const env = runEnv(server.url, { LONGSHOT_BWRAP: join(scratch, "no-such-bwrap") });
    const result = await runCli(["doctor", "--repo", repo.repo], env);
    expect(result.code).toBe(1);
    expect(sandboxLine(result.stdout)).toMatch(
      /^FAIL +sandbox local +local sandboxes cannot be isolated here \(bubblewrap is not installed\); install bubblewrap \(apt-get install bubblewrap\), allow unprivileged user namespaces, choose --sandbox docker, or opt out explicitly with SANDBOX_PROVIDER=none; runs refuse to start$/,
    );
    expect(result.stdout).not.toMatch(/^\S+ +limits /m);
    expect(result.stdout).toMatch(/^1 check\(s\) failed; fix them and run longshot doctor again\.$/m);
    const run = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"], env);
    expect(run.code).toBe(2);
  });

  it("warns, without failing, when isolation is turned off explicitly", async () => {
    const repo = fresh();
    const result = await runCli(
      ["doctor", "--repo", repo.repo],
      runEnv(server.url, { SANDBOX_PROVIDER: "none", LONGSHOT_BWRAP: join(scratch, "no-such-bwrap") }),
    );
    expect(result.stdout).toMatch(
      /^warn +sandbox none +SANDBOX_PROVIDER=none: agent commands, builds and tests run on this machine with your user's rights, unisolated\.$/m,
    );
    expect(result.stdout).not.toMatch(/^\S+ +limits /m);
    expect(result.code, result.stdout).toBe(0);
  });
});
