import { createServer } from "node:net";

/** A TCP listener on a host loopback port that counts who connects to it. */
export interface LoopbackCanary {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 at a free port and counts every connection (then closes it): the host
 * service a sandbox must not reach, so a test can assert that the count did not move.
 */
export async function startLoopbackCanary(): Promise<LoopbackCanary> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the canary listener has no TCP port");
  return {
    port: address.port,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
