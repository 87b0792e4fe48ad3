import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startLoopbackCanary } from "./loopback-canary.js";

const knock = (port: number) =>
  new Promise<void>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("close", () => resolve());
    socket.on("error", () => resolve());
  });

describe("startLoopbackCanary", () => {
  it("counts each connection to its loopback port, and refuses them once closed", async () => {
    const canary = await startLoopbackCanary();
    expect(canary.connections).toBe(0);
    await knock(canary.port);
    await knock(canary.port);
    expect(canary.connections).toBe(2);
    await canary.close();
    await knock(canary.port);
    expect(canary.connections).toBe(2);
  });
});
