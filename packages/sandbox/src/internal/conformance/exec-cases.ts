import { expect, it } from "vitest";
import { type ConformanceContext, expectSandboxError, sleep, waitFor } from "./context.js";

const heartbeatLoop = "(i=0; while true; do i=$((i+1)); echo $i > heartbeat; sleep 0.05; done) &";

async function expectHeartbeatStopped(read: () => Promise<string>): Promise<void> {
  const before = await read();
  await sleep(600);
  expect(await read(), "a background process kept running after its exec ended").toBe(before);
}

/** Exec: the clean workspace, exit codes, output, streaming and the environment. */
export function execCases(context: ConformanceContext): void {
  it("creates a clean workspace at the base commit, reporting its isolation", async () => {
    const sandbox = await context.create();
    const repo = context.repo();
    expect(sandbox.id).not.toBe("");
    expect(sandbox.provider).toBe(context.provider().name);
    expect(sandbox.workdir.startsWith("/")).toBe(true);
    expect(sandbox.baseCommit).toBe(repo.base);
    expect(sandbox.isolation).toEqual(context.setup.isolation);
    const head = await sandbox.exec({
      command: "git rev-parse HEAD && git status --porcelain && cat README.md",
    });
    expect(head.stdout).toBe(`${repo.base}\n# fixture\n`);
    expect(head.exitCode).toBe(0);
  });

  it("runs shell commands and argv, reporting exit code, stdout and stderr", async () => {
    const sandbox = await context.create();
    const shell = await sandbox.exec({ command: "echo out; echo err >&2; exit 3" });
    expect(shell).toMatchObject({
      exitCode: 3,
      stdout: "out\n",
      stderr: "err\n",
      timedOut: false,
      truncated: false,
    });
    expect(shell.durationMs).toBeGreaterThanOrEqual(0);
    const argv = await sandbox.exec({ argv: ["printf", "%s|", "a b", "$HOME"] });
    expect(argv.stdout).toBe("a b|$HOME|");
    const inSrc = await sandbox.exec({ command: "pwd && ls", cwd: "src" });
    expect(inSrc.stdout).toBe(`${sandbox.workdir}/src\na.ts\nnested\n`);
  });

  it("streams output to the callbacks while the command is still running", async () => {
    const sandbox = await context.create();
    const seen: string[] = [];
    let released = false;
    const result = await sandbox.exec({
      command:
        "echo first; echo warn >&2; for i in $(seq 1 200); do [ -f go ] && break; sleep 0.05; done; echo second",
      timeoutMs: 30_000,
      onStdout: (chunk) => {
        seen.push(chunk);
        if (!released && seen.join("").includes("first")) {
          released = true;
          void sandbox.writeFile("go", "");
        }
      },
      onStderr: (chunk) => seen.push(`stderr:${chunk}`),
    });
    expect(result.stdout).toBe("first\nsecond\n");
    expect(seen.join("")).toContain("stderr:warn");
    expect(released).toBe(true);
    const output = await sandbox.exec({ command: "test -f go && echo released" });
    expect(output.stdout).toBe("released\n");
  });

  it("gives commands exactly the environment asked for, without the orchestrator's keys", async () => {
    const sandbox = await context.create({ env: { FROM_SANDBOX: "s", SHARED: "sandbox" } });
    const result = await sandbox.exec({ command: "env", env: { FROM_EXEC: "e", SHARED: "exec" } });
    const env = new Map(
      result.stdout
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(env.get("FROM_SANDBOX")).toBe("s");
    expect(env.get("FROM_EXEC")).toBe("e");
    expect(env.get("SHARED")).toBe("exec");
    expect(env.get("PATH")).toBeTruthy();
    expect(env.get("HOME")).toBeTruthy();
    for (const leaked of [
      "LLM_API_KEY",
      "OPENAI_API_KEY",
      "E2B_API_KEY",
      "GITHUB_TOKEN",
      "CONFORMANCE_SECRET",
    ]) {
      expect(env.has(leaked), `${leaked} leaked into the sandbox`).toBe(false);
    }
    expect(result.stdout).not.toContain("sk-conformance-leak");
  });
}

/** Timeouts and cancellation killing the process tree, and the output cap. */
export function stopCases(context: ConformanceContext): void {
  it("kills the whole process tree when a command times out", async () => {
    const sandbox = await context.create();
    const result = await sandbox.exec({ command: `${heartbeatLoop} sleep 60`, timeoutMs: 1_500 });
    expect(result.timedOut, `exit ${result.exitCode}: ${result.stdout}${result.stderr}`).toBe(true);
    expect(result.exitCode).not.toBe(0);
    await expectHeartbeatStopped(() => sandbox.readFile("heartbeat"));
    const after = await sandbox.exec({ command: "echo still usable" });
    expect(after.stdout).toBe("still usable\n");
  });

  it("kills the whole process tree and rejects with AbortError when the signal aborts", async () => {
    const sandbox = await context.create();
    const controller = new AbortController();
    const running = sandbox.exec({ command: `${heartbeatLoop} sleep 60`, signal: controller.signal });
    await waitFor(
      () =>
        sandbox.readFile("heartbeat").then(
          () => true,
          () => false,
        ),
      20_000,
      "the heartbeat file",
    );
    controller.abort();
    const error = await expectSandboxError(running, "", "AbortError");
    expect(error.name).toBe("AbortError");
    await expectHeartbeatStopped(() => sandbox.readFile("heartbeat"));
  });

  it("caps output, keeping its start and its end", async () => {
    const sandbox = await context.create();
    const result = await sandbox.exec({
      command: "echo START; head -c 200000 /dev/zero | tr '\\0' a; echo; echo END",
      maxOutputBytes: 1_000,
    });
    expect(result.truncated).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith("START\naaa")).toBe(true);
    expect(result.stdout.endsWith("aaa\nEND\n")).toBe(true);
    expect(result.stdout.length).toBeLessThan(1_100);
  });
}
