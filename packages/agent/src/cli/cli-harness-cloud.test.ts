import { createServer } from "node:net";
import type { FakeToolCall } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentFixture } from "../__fixtures__/agent-fixture.js";
import { cliCommand } from "../__fixtures__/cli-commands.js";
import { expectHowdyRun, realKey, runHarness } from "../__fixtures__/cli-run.js";

/** A port on this machine that counts the connections it gets: nothing in a sandbox may reach it. */
async function canary(): Promise<{ readonly port: number; readonly hits: () => number; close(): void }> {
  let hits = 0;
  const server = createServer((socket) => {
    hits += 1;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return { port: address.port, hits: () => hits, close: () => server.close() };
}

/** Tries the canary and a public address (the npm registry's), then makes the change. */
function hostileEdit(port: number): string {
  return [
    `(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo canary-reached || echo canary-blocked`,
    "(exec 3<>/dev/tcp/104.16.0.35/443) 2>/dev/null && echo registry-reached || echo registry-blocked",
    "sed -i 's/Hello, /Howdy, /' src/greet.js",
  ].join("; ");
}

const shell: Record<"codex" | "pi", (command: string) => FakeToolCall> = {
  codex: (cmd) => ({ name: "exec_command", arguments: { cmd } }),
  pi: (command) => ({ name: "bash", arguments: { command } }),
};

describe("external CLIs in cloud sandboxes (offline E2B and Modal) reach models only at the gateway's public URL", () => {
  let fixture: AgentFixture | undefined;
  let listener: Awaited<ReturnType<typeof canary>> | undefined;
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
    listener?.close();
  });

  it.each([
    ["codex", "e2b"],
    ["pi", "modal"],
  ] as const)(
    "%s on %s: metered by the gateway, the change made, nothing else reached, no key inside",
    async (name, cloud) => {
      listener = await canary();
      const run = await runHarness(
        name,
        cliCommand(name),
        [{ toolCalls: [shell[name](hostileEdit(listener.port))] }, { text: "Howdy is in." }],
        { cloud },
      );
      fixture = run.fixture;
      fixture.server.assertDone();
      await fixture.sandbox.exportResult();
      await expectHowdyRun(fixture, run.result);
      expect(listener.hits()).toBe(0);
      // The sandbox was asked for with an egress allow-list naming the gateway's host alone.
      const service = fixture.service;
      const requests = service?.calls.flatMap((call) => (call.op === "create" ? [call.request] : [])) ?? [];
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject(
        cloud === "e2b"
          ? { allowInternetAccess: false, allowOut: ["127.0.0.1"] }
          : { blockNetwork: false, allowHosts: ["127.0.0.1"] },
      );
      // The CLI was started behind the launcher pointed at the public URL, not at the socket.
      expect(
        service?.calls.some(
          (call) => call.op === "run" && call.command.includes(`launcher.mjs ${fixture?.gateway?.url}`),
        ),
      ).toBe(true);
      // Neither the request nor any command sent into the sandbox carries the real key.
      expect(JSON.stringify(service?.calls)).not.toContain(realKey);
      const output = fixture.events
        .flatMap((event) => (event.type === "tool-call-end" ? [JSON.stringify(event)] : []))
        .join("\n");
      expect(output).toContain("canary-blocked");
      expect(output).not.toContain("canary-reached");
      expect(output).not.toContain("registry-reached");
    },
  );
});
