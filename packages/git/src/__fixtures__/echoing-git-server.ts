import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GitRunner, GitRunRequest, GitRunResult } from "../git-runner.js";
import { ProcessGitRunner } from "../process-git-runner.js";

/** A git HTTP server that refuses everything and says what it was sent. */
export interface EchoingGitServer {
  /** The URL of its one repository, `http://127.0.0.1:<port>/repo.git`. */
  readonly url: string;
  /** The Authorization headers it received, one per request ("" for none), in order. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

const packetLine = (text: string): string => `${(text.length + 4).toString(16).padStart(4, "0")}${text}`;

/**
 * A hostile (or careless) git server: every request gets a valid smart-HTTP answer whose only
 * content is an `ERR` line quoting the Authorization header and the token inside it, which git
 * prints as `fatal: remote error: …`. Whatever credential git sent comes back in its stderr.
 */
export async function startEchoingGitServer(): Promise<EchoingGitServer> {
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    const header = request.headers.authorization ?? "";
    authorizations.push(header);
    const encoded = /^basic (.+)$/i.exec(header)?.[1] ?? "";
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const service = new URL(request.url ?? "/", "http://server").searchParams.get("service") ?? "git-upload-pack";
    request.resume();
    response.writeHead(200, { "content-type": `application/x-${service}-advertisement` });
    response.end(
      `${packetLine(`# service=${service}\n`)}0000${packetLine(`ERR refused ${header} (${decoded})\n`)}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs git for real and keeps every request it was given (arguments and environment). */
export class RecordingRunner implements GitRunner {
  readonly requests: GitRunRequest[] = [];
  readonly #inner = new ProcessGitRunner();

  run(request: GitRunRequest): Promise<GitRunResult> {
    this.requests.push(request);
    return this.#inner.run(request);
  }
}
