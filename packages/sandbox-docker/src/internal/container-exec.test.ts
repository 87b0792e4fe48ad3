import { systemClock } from "@longshot/core";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerUnavailable, testDocker, testImage, testScope } from "../__fixtures__/engine.js";
import { execInContainer } from "./container-exec.js";
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

    const run = (argv: string[], extra: Partial<Parameters<typeof execInContainer>[1]> = {}) =>
      execInContainer(container, { argv, ...extra }, systemClock);

    it("returns the exit code and keeps stdout and stderr apart", async () => {
      const result = await run(["/bin/bash", "-c", "echo out; echo err >&2; exit 7"]);
      expect(result.exitCode).toBe(7);
      expect(result.stdout.toString()).toBe("out\n");
      expect(result.stderr.toString()).toBe("err\n");
      expect(result.timedOut).toBe(false);
    });

    it("runs in the requested directory, as the requested user, with the requested variables", async () => {
      const result = await run(["/bin/bash", "-c", 'pwd; id -u; echo "$GREETING $BASE"'], {
        cwd: "/tmp",
        user: "1000:1000",
        env: { GREETING: "hello" },
      });
      expect(result.stdout.toString()).toBe("/tmp\n1000\nhello from-container\n");
    });

    it("streams output while the process is still running", async () => {
      const seen: string[] = [];
      let sawFirstBeforeEnd = false;
      const result = await run(["/bin/bash", "-c", "echo first; sleep 0.5; echo second"], {
        onOutput: (_stream, chunk) => {
          seen.push(chunk.toString());
          if (chunk.toString().includes("first") && seen.length === 1) sawFirstBeforeEnd = true;
        },
      });
      expect(sawFirstBeforeEnd).toBe(true);
      expect(seen.join("")).toBe("first\nsecond\n");
      expect(result.exitCode).toBe(0);
    });

    it("caps kept output and reports the real total", async () => {
      const result = await run(["/bin/bash", "-c", "head -c 100000 /dev/zero | tr '\\0' x"], {
        maxOutputBytes: 1000,
      });
      expect(result.stdout.length).toBe(1000);
      expect(result.outputBytes).toBe(100000);
      expect(result.truncated).toBe(true);
    });

    it("kills the whole process tree on timeout", async () => {
      const result = await run(["/bin/bash", "-c", "(sleep 301; echo leaked) & sleep 301 & wait"], {
        timeoutMs: 500,
      });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      const left = await run(["/bin/bash", "-c", "pgrep -c -f '^sleep 301$' || true"]);
      expect(left.stdout.toString().trim()).toBe("0");
    });

    it("kills the whole process tree on abort", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const result = await run(["/bin/bash", "-c", "sleep 302 & sleep 302"], { signal: controller.signal });
      expect(result.aborted).toBe(true);
      const left = await run(["/bin/bash", "-c", "pgrep -c -f '^sleep 302$' || true"]);
      expect(left.stdout.toString().trim()).toBe("0");
    });
  },
);
