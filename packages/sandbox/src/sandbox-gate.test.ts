import { AbortError, ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { expectSandboxError } from "./internal/conformance/context.js";
import { SandboxError } from "./sandbox-error.js";
import { SandboxGate } from "./sandbox-gate.js";

async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await Promise.resolve();
}

function gate(options: { recheckOnSuccess?: boolean; wallTimeoutMs?: number; idleTimeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const teardowns: string[] = [];
  let finishTeardown: () => void = () => undefined;
  const sandbox = new SandboxGate({
    id: "sandbox-1",
    limits: {
      wallTimeoutMs: options.wallTimeoutMs ?? 100_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    },
    clock,
    teardown: () => {
      teardowns.push("teardown");
      return new Promise((resolve) => {
        finishTeardown = resolve;
      });
    },
    failureMessage: "The engine failed to run an operation in sandbox sandbox-1.",
    recheckOnSuccess: options.recheckOnSuccess ?? false,
  });
  return { clock, teardowns, sandbox, finishTeardown: () => finishTeardown() };
}

/** No teardown after `quietMs` more, a teardown (then finished) after `remainingMs` more. */
async function expectTeardownBetween(
  subject: ReturnType<typeof gate>,
  quietMs: number,
  remainingMs: number,
): Promise<void> {
  subject.clock.advance(quietMs);
  await settle();
  expect(subject.teardowns).toEqual([]);
  subject.clock.advance(remainingMs);
  await settle();
  expect(subject.teardowns).toEqual(["teardown"]);
  subject.finishTeardown();
}

describe("SandboxGate", () => {
  it("runs operations while the sandbox lives, naming unexpected failures and passing known ones", async () => {
    const { sandbox } = gate();
    expect(await sandbox.run(async () => 42)).toBe(42);
    const cause = new Error("socket hang up");
    const wrapped = await expectSandboxError(
      sandbox.run(() => Promise.reject(cause)),
      "exec-failed",
      "SandboxError",
    );
    expect(wrapped.message).toBe("The engine failed to run an operation in sandbox sandbox-1.");
    expect(wrapped.cause).toBe(cause);
    const known = new SandboxError("not-found", "No file.");
    await expect(sandbox.run(() => Promise.reject(known))).rejects.toBe(known);
    const aborted = new AbortError("cancelled");
    await expect(sandbox.run(() => Promise.reject(aborted))).rejects.toBe(aborted);
  });

  it("tears down once, and refuses operations only after the teardown has finished", async () => {
    const { sandbox, teardowns, finishTeardown } = gate();
    await sandbox.throwIfGone();
    const first = sandbox.destroy("destroyed");
    expect(sandbox.destroy("wall-timeout")).toBe(first);
    expect(teardowns).toEqual(["teardown"]);
    let refused = false;
    const later = sandbox
      .run(async () => "ran")
      .catch((error: unknown) => {
        refused = true;
        return error;
      });
    await settle();
    expect(refused).toBe(false);
    finishTeardown();
    await first;
    expect(await later).toMatchObject({ name: "SandboxError", reason: "destroyed" });
  });

  it("fails an operation cut short by a destroy with the destroyed error, not its own", async () => {
    const { sandbox, finishTeardown } = gate();
    let fail: (error: Error) => void = () => undefined;
    const running = sandbox.run(
      () =>
        new Promise<never>((_, reject) => {
          fail = reject;
        }),
    );
    await settle();
    const destroyed = sandbox.destroy("destroyed");
    fail(new Error("connection reset"));
    finishTeardown();
    await destroyed;
    await expectSandboxError(running, "destroyed", "SandboxError");
  });

  it.each([
    [true, "rejects with the destroyed error"],
    [false, "keeps its result"],
  ] as const)(
    "with recheckOnSuccess %s, an operation that succeeds after a destroy %s",
    async (recheckOnSuccess, _outcome) => {
      const { sandbox, finishTeardown } = gate({ recheckOnSuccess });
      let succeed: (value: string) => void = () => undefined;
      const running = sandbox.run(
        () =>
          new Promise<string>((resolve) => {
            succeed = resolve;
          }),
      );
      const destroyed = sandbox.destroy("destroyed");
      finishTeardown();
      await destroyed;
      succeed("done");
      if (recheckOnSuccess) await expectSandboxError(running, "destroyed", "SandboxError");
      else expect(await running).toBe("done");
    },
  );

  it("expires at the wall timeout even while busy, and when idle between operations", async () => {
    const walled = gate({ wallTimeoutMs: 5_000, idleTimeoutMs: 1_000 });
    let end: () => void = () => undefined;
    const busy = walled.sandbox.run(
      () =>
        new Promise<void>((resolve) => {
          end = resolve;
        }),
    );
    await settle();
    await expectTeardownBetween(walled, 4_000, 1_000);
    end();
    await busy;
    await expectSandboxError(
      walled.sandbox.run(async () => "late"),
      "wall-timeout",
      "SandboxError",
    );

    const idle = gate({ idleTimeoutMs: 1_000 });
    await idle.sandbox.run(async () => undefined);
    await expectTeardownBetween(idle, 999, 1);
    await expectSandboxError(idle.sandbox.throwIfGone(), "idle-timeout", "SandboxError");
  });
});
