import { request } from "node:http";

/** Where the Docker engine listens, from DOCKER_HOST (unix socket or tcp), as dockerode reads it. */
export function dockerTarget(
  dockerHost: string | undefined,
): { readonly socketPath: string } | { readonly host: string; readonly port: number } {
  if (dockerHost === undefined || dockerHost === "") return { socketPath: "/var/run/docker.sock" };
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  const url = new URL(dockerHost.replace(/^tcp:\/\//, "http://"));
  return { host: url.hostname, port: Number(url.port || "2375") };
}

/** True when a Docker engine answers `/_ping` within `timeoutMs`. */
export function dockerAnswers(dockerHost: string | undefined, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const target = dockerTarget(dockerHost);
    const call = request({ ...target, path: "/_ping", method: "GET", timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    call.on("timeout", () => call.destroy());
    call.on("error", () => resolve(false));
    call.end();
  });
}
