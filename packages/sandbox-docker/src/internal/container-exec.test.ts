import { systemClock } from "@longshot/core";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerUnavailable, testDocker, testImage, testScope } from "../__fixtures__/engine.js";
import { captureInContainer, execInContainer } from "./container-exec.js";
import { containerCreateOptions } from "./container-options.js";

const unavailable = dockerUnavailable();

describe.skipIf(unavailable !== "")(
  `execInContainer on a real engine${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`,
  () => {
    const docker = testDocker();
    let container: Docker.Container;

    beforeAll(async () => {
      const scope = testScope();
      container = await docker.createContainer(
        containerCreateOptions({
          image: testImage,
          name: `${scope}-exec`,
          sandboxId: `${scope}-exec`,
          runId: "run",
          taskId: "task",
          scope,
          hostPath: "/nonexistent",
          repoPath: "/nonexistent",
          user: "1000:1000",
          workdir: "/home/longshot",
          env: { BASE: "from-container" },
          mounts: [],
          pidsLimit: 256,
          network: "none",
          init: true,
        }),
      );
      await container.start();
    });

    afterAll(async () => {
      await container?.remove({ force: true });
    });

    const run = (argv: string[], extra: Partial<Parameters<typeof captureInContainer>[1]> = {}) =>
      captureInContainer(container, { argv, ...extra }, systemClock);

    it("returns the exit code and keeps stdout and stderr apart", async () => {
      const result = await run(["/bin/bash", "-c", "echo out; echo err >&2; exit 7"]);
      expect(result.exitCode).toBe(7);
      expect(result.stdout.toString()).toBe("out\n");
      expect(result.stderr.toString()).toBe("err\n");
    });

    it("reports 128 + signal for a process killed by a signal", async () => {
      const result = await run(["/bin/bash", "-c", "kill -TERM $$"]);
      expect(result.exitCode).toBe(143);
    });

    it("runs in the requested directory, as the requested user, with exactly the requested environment", async () => {
      const result = await run(
        ["/bin/bash", "-c", "pwd; id -u; env | grep -v '^PWD=\\|^SHLVL=\\|^_=' | sort"],
        {
          cwd: "/tmp",
          user: "1000:1000",
          env: { GREETING: "hello", PATH: "/usr/bin:/bin" },
        },
      );
      expect(result.stdout.toString()).toBe("/tmp\n1000\nGREETING=hello\nPATH=/usr/bin:/bin\n");
      const inherited = await run(["/bin/bash", "-c", 'echo "$BASE"']);
      expect(inherited.stdout.toString()).toBe("from-container\n");
    });

    it("streams output while the process is still running", async () => {
      const seen: string[] = [];
      let firstArrivedAlone = false;
      const outcome = await execInContainer(
        container,
        {
          argv: ["/bin/bash", "-c", "echo first; sleep 0.5; echo second >&2"],
          onOutput: (stream, chunk) => {
            seen.push(`${stream}:${chunk.toString()}`);
            if (seen.length === 1) firstArrivedAlone = chunk.toString() === "first\n";
          },
        },
        systemClock,
      );
      expect(firstArrivedAlone).toBe(true);
      expect(seen).toEqual(["stdout:first\n", "stderr:second\n"]);
      expect(outcome).toEqual({ exitCode: 0, stop: undefined });
    });

    it("refuses to hand back more internal output than asked for", async () => {
      await expect(
        captureInContainer(container, { argv: ["head", "-c", "5000", "/dev/zero"] }, systemClock, 1000),
      ).rejects.toThrow(/exceeded 1000 bytes/);
    });

    it("kills the whole process tree on timeout", async () => {
      const outcome = await execInContainer(
        container,
        { argv: ["/bin/bash", "-c", "(sleep 301; echo leaked) & sleep 301 & wait"], timeoutMs: 500 },
        systemClock,
      );
      expect(outcome).toEqual({ exitCode: null, stop: "timeout" });
      const left = await run(["/bin/bash", "-c", "pgrep -c -f '^sleep 301$' || true"]);
      expect(left.stdout.toString().trim()).toBe("0");
    });

    it("kills the whole process tree on abort", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const outcome = await execInContainer(
        container,
        { argv: ["/bin/bash", "-c", "sleep 302 & sleep 302"], signal: controller.signal },
        systemClock,
      );
      expect(outcome.stop).toBe("abort");
      const left = await run(["/bin/bash", "-c", "pgrep -c -f '^sleep 302$' || true"]);
      expect(left.stdout.toString().trim()).toBe("0");
    });
  },
);
