import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ChildProcessLauncher } from "./child-process-launcher.js";
import {
  backgroundNice,
  type LaunchEnd,
  type LaunchRequest,
  type ProcessLauncher,
} from "./process-launcher.js";
import { SpawnerProcessLauncher } from "./spawner-process-launcher.js";

const fixtures = join(fileURLToPath(new URL(".", import.meta.url)), "__fixtures__");

/** True while `pid` runs (a zombie waiting for its parent counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits until `pid` is gone; the test's own time limit is the bound. */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function run(
  launcher: ProcessLauncher,
  request: LaunchRequest,
  input?: string,
): Promise<{ end: LaunchEnd; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const launched = launcher.launch(request, {
    stdout: (chunk) => (stdout += chunk.toString("utf8")),
    stderr: (chunk) => (stderr += chunk.toString("utf8")),
  });
  if (input !== undefined) {
    launched.write(input);
    launched.end();
  }
  return { end: await launched.ended, stdout, stderr };
}

const spawner = new SpawnerProcessLauncher();
const launchers: [string, ProcessLauncher][] = [
  ["ChildProcessLauncher", new ChildProcessLauncher()],
  ["SpawnerProcessLauncher", spawner],
];

describe.each(launchers)("%s", (_name, launcher) => {
  const cwd = tmpdir();

  it("returns the exit code and both outputs", async () => {
    const result = await run(launcher, { argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], cwd });
    expect(result).toEqual({
      end: { kind: "exited", code: 3, signal: null },
      stdout: "out\n",
      stderr: "err\n",
    });
  });

  it("feeds standard input and runs in the directory it was given", async () => {
    const result = await run(
      launcher,
      { argv: ["sh", "-c", "pwd; cat"], cwd, stdin: true },
      "line one\nline two\n",
    );
    expect(result.stdout).toBe(`${cwd}\nline one\nline two\n`);
  });

  it("gives the program exactly the environment asked for", async () => {
    const result = await run(launcher, {
      argv: ["/usr/bin/env"],
      cwd,
      env: { ONLY: "this", GONE: undefined },
    });
    expect(result.stdout).toBe("ONLY=this\n");
  });

  it("reports a missing program or directory as a failure to start, not an exit", async () => {
    const program = await run(launcher, { argv: ["no-such-program-here"], cwd });
    const directory = await run(launcher, { argv: ["true"], cwd: join(cwd, "no-such-directory-here") });
    for (const { end } of [program, directory]) {
      expect(end.kind).toBe("failed");
      if (end.kind === "failed") expect(end.error.code).toBe("ENOENT");
    }
  });

  it("runs a background program below this process's priority, with everything it starts", async () => {
    // The program reads a line first, so it reports only after `launch` lowered it. Field 19 of
    // /proc/<pid>/stat is the nice value; the second line is a process the program started.
    const report =
      "awk '{print $19}' /proc/$$/stat; sh -c 'awk \"{print \\$19}\" /proc/$$/stat'; cat /proc/self/autogroup 2>/dev/null || echo none";
    const lowered = await run(
      launcher,
      { argv: ["sh", "-c", `read line; ${report}`], cwd, stdin: true, background: true },
      "go\n",
    );
    const normal = await run(
      launcher,
      { argv: ["sh", "-c", `read line; ${report}`], cwd, stdin: true },
      "go\n",
    );
    const [program, started, group] = lowered.stdout.trim().split("\n");
    expect([program, started]).toEqual([String(backgroundNice), String(backgroundNice)]);
    if (group !== "none") expect(group).toMatch(new RegExp(`nice ${backgroundNice}$`));
    expect(normal.stdout.trim().split("\n").slice(0, 2)).toEqual(["0", "0"]);
  });

  it("gives the program a pipe on descriptor 3 when asked, and its output reaches the info listener", async () => {
    let info = "";
    let stdout = "";
    const launched = launcher.launch(
      { argv: ["sh", "-c", "echo '{\"child-pid\": 7}' >&3; echo ready"], cwd, infoPipe: true },
      {
        info: (chunk) => {
          info += chunk.toString("utf8");
        },
        stdout: (chunk) => {
          stdout += chunk.toString("utf8");
        },
      },
    );
    expect(await launched.ended).toEqual({ kind: "exited", code: 0, signal: null });
    expect([info, stdout]).toEqual(['{"child-pid": 7}\n', "ready\n"]);
    // Without it, descriptor 3 is not open in the program.
    const closed = await run(launcher, { argv: ["sh", "-c", "echo x >&3"], cwd });
    expect(closed.end).toMatchObject({ kind: "exited", code: 2 });
  });

  it("kills the whole process group, so nothing the program started survives", async () => {
    let output = "";
    const { done: printed, resolve: sawPid } = deferred();
    const launched = launcher.launch(
      { argv: ["sh", "-c", "sleep 1000 & echo $!; wait"], cwd },
      {
        stdout: (chunk) => {
          output += chunk.toString("utf8");
          if (output.includes("\n")) sawPid();
        },
      },
    );
    await printed;
    const grandchild = Number(output.trim());
    expect(alive(grandchild)).toBe(true);
    await launched.kill();
    expect(await launched.ended).toEqual({ kind: "exited", code: null, signal: "SIGKILL" });
    await gone(grandchild);
    expect(alive(grandchild)).toBe(false);
  });

  it("ends a released launch at its exit even when a process that left its group holds the output open", async () => {
    let output = "";
    const { done: exit, resolve: exited } = deferred();
    const launched = launcher.launch(
      {
        // The shell ends only once the child has left the group (a session of its own).
        argv: [
          "sh",
          "-c",
          "setsid sleep 1000 & pid=$!; until [ \"$(cut -d' ' -f6 /proc/$pid/stat)\" = $pid ]; do :; done; echo $pid; exit 4",
        ],
        cwd,
      },
      { stdout: (chunk) => (output += chunk.toString("utf8")), exit: () => exited() },
    );
    await exit;
    await launched.kill();
    launched.release();
    expect(await launched.ended).toEqual({ kind: "exited", code: 4, signal: null });
    const escaped = Number(output.trim());
    expect(alive(escaped)).toBe(true);
    process.kill(escaped, "SIGKILL");
  });
});

/** A promise and the function that resolves it. */
function deferred(): { readonly done: Promise<void>; readonly resolve: () => void } {
  let resolve: () => void = () => {};
  const done = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { done, resolve };
}

describe("SpawnerProcessLauncher", () => {
  afterAll(() => {
    if (spawner.pid !== undefined) process.kill(spawner.pid, "SIGTERM");
  });

  it("never forks this process for a launch: the program is the spawner's child", async () => {
    const result = await run(spawner, { argv: ["sh", "-c", "ps -o ppid= -p $$"], cwd: tmpdir() });
    expect(Number(result.stdout.trim())).toBe(spawner.pid);
    expect(spawner.pid).not.toBe(process.pid);
  });

  it("leaves no program behind when the process using it is killed", async () => {
    const parent = spawn(process.execPath, [join(fixtures, "spawner-parent.mjs")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [line] = (await once(createInterface({ input: parent.stdout }), "line")) as [string];
    const pids = JSON.parse(line) as { spawner: number; sleeper: number };
    expect(alive(pids.spawner) && alive(pids.sleeper)).toBe(true);
    parent.kill("SIGKILL");
    await gone(pids.sleeper);
    await gone(pids.spawner);
    expect([alive(pids.sleeper), alive(pids.spawner)]).toEqual([false, false]);
  });

  it("fails the launches in flight when the spawner dies, and starts a new one for the next", async () => {
    const launcher = new SpawnerProcessLauncher();
    const sleeping = launcher.launch({ argv: ["sleep", "1000"], cwd: tmpdir() });
    const first = launcher.pid;
    expect(first).toBeDefined();
    process.kill(first ?? 0, "SIGKILL");
    const end = await sleeping.ended;
    expect(end.kind).toBe("failed");
    if (end.kind === "failed") expect(end.error.code).toBe("ESPAWNER");
    const next = await run(launcher, { argv: ["echo", "again"], cwd: tmpdir() });
    expect(next.stdout).toBe("again\n");
    expect(launcher.pid).not.toBe(first);
    process.kill(launcher.pid ?? 0, "SIGTERM");
  });

  it("keeps a process alive while a launch runs, and not once it is idle", async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(process.execPath, [join(fixtures, "launch-once.mjs")], { timeout: 60_000 }, (error, stdout) =>
        error === null ? resolve({ stdout }) : reject(error),
      );
    });
    expect(stdout).toBe("done exited\n");
  });
});
