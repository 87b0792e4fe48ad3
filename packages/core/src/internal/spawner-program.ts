/**
 * The spawner process's whole program. It runs as `node -e` source (see {@link spawnerSource}),
 * so it must stay self-contained: no imports, no references outside its own body but the
 * function it is called with ({@link lowerPriority}, self-contained too).
 *
 * Requests arrive as IPC messages `[op, id, ...]`:
 * `["launch", id, argv, cwd, env, stdin, nice, infoPipe]` (nice: 0, or the background nice
 * value; infoPipe: descriptor 3 is a pipe), `["write", id, data]`, `["end", id]`,
 * `["kill", id, signal]`, `["release", id]`. Replies: `["out", id, bytes]`, `["err", id, bytes]`,
 * `["info", id, bytes]` (descriptor 3),
 * `["exit", id, code, signal]`, `["close", id, code, signal]`, `["fail", id, errno, message]`,
 * `["killed", id]`. When the parent goes away (its end of the channel closes) or the spawner is
 * told to stop, every process group it started is killed before it exits.
 */
function spawnerMain(lower: typeof lowerPriority): void {
  const { spawn } = process.getBuiltinModule("node:child_process");
  type Child = ReturnType<typeof spawn>;
  const live = new Map<number, Child>();
  const send = (message: unknown[]): void => {
    if (process.connected) process.send?.(message);
  };
  const killGroup = (child: Child, signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        process.kill(child.pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  const launch = (
    id: number,
    argv: string[],
    cwd: string,
    env: Record<string, string>,
    stdin: boolean,
    nice: number,
    infoPipe: boolean,
  ) => {
    let child: Child;
    try {
      child = spawn(argv[0] ?? "", argv.slice(1), {
        cwd,
        env,
        detached: true,
        stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe", ...(infoPipe ? ["pipe" as const] : [])],
      });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      send(["fail", id, failure.code ?? "EINVAL", failure.message]);
      return;
    }
    if (nice > 0 && child.pid !== undefined) lower(child.pid, nice);
    live.set(id, child);
    let exited = false;
    child.stdout?.on("data", (chunk: Buffer) => send(["out", id, chunk]));
    child.stderr?.on("data", (chunk: Buffer) => send(["err", id, chunk]));
    (child.stdio[3] as NodeJS.ReadableStream | null | undefined)?.on("data", (chunk: Buffer) =>
      send(["info", id, chunk]),
    );
    child.stdin?.on("error", () => {});
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (exited || !live.has(id)) return;
      live.delete(id);
      send(["fail", id, error.code ?? "EIO", error.message]);
    });
    child.on("exit", (code, signal) => {
      exited = true;
      send(["exit", id, code, signal]);
    });
    child.on("close", (code, signal) => {
      if (!live.has(id)) return;
      live.delete(id);
      send(["close", id, code, signal]);
    });
  };
  const stop = (): void => {
    for (const child of live.values()) killGroup(child, "SIGKILL");
    process.exit(0);
  };
  process.on("message", (raw) => {
    const message = raw as [string, number, ...unknown[]];
    const [op, id] = message;
    const child = live.get(id);
    switch (op) {
      case "launch":
        launch(
          id,
          message[2] as string[],
          message[3] as string,
          message[4] as Record<string, string>,
          message[5] === true,
          typeof message[6] === "number" ? message[6] : 0,
          message[7] === true,
        );
        break;
      case "write":
        child?.stdin?.write(message[2] as Uint8Array | string);
        break;
      case "end":
        child?.stdin?.end();
        break;
      case "kill":
        if (child !== undefined) killGroup(child, message[2] as NodeJS.Signals);
        send(["killed", id]);
        break;
      case "release":
        child?.stdout?.destroy();
        child?.stderr?.destroy();
        (child?.stdio[3] as (NodeJS.ReadableStream & { destroy(): void }) | null | undefined)?.destroy();
        break;
    }
  });
  process.on("disconnect", stop);
  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) process.on(signal, stop);
}

/**
 * Lowers a just-started program that leads its own session to `nice`: its session's scheduling
 * group (Linux's autogroup), then the program itself. Self-contained, as the spawner's source
 * includes it. Best effort: a program that cannot be lowered still runs.
 */
export function lowerPriority(pid: number, nice: number): void {
  try {
    process.getBuiltinModule("node:fs").writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // No autogroups here (another kernel, or a program already gone).
  }
  try {
    process.getBuiltinModule("node:os").setPriority(pid, nice);
  } catch {
    // Already gone.
  }
}

/** Source for `node -e`: the program above, called with the function it needs. */
export const spawnerSource = `(${spawnerMain.toString()})(${lowerPriority.toString()});`;
