import { LocalRemoteService } from "@longshot/sandbox/conformance";
import type { ModalClient, ModalCreateRequest, ModalSandboxInfo, ModalSession } from "./modal-client.js";

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * A recording fake of the Modal service that runs every command on this machine (see
 * `LocalRemoteService`): sandboxes are found by tags, the network is blocked when the request
 * says so, and `checkFailure` makes the service refuse or be unreachable.
 */
export class LocalModalClient
  extends LocalRemoteService<ModalCreateRequest, ModalSession>
  implements ModalClient
{
  /** Thrown by `check` (and `create`) when set: a refused token, an unreachable service. */
  checkFailure: Error | null = null;
  /** Whether `close` was called. */
  closed = false;

  constructor() {
    super({
      idPrefix: "sb-fake",
      labelsOf: (request) => request.tags,
      networkOf: (request) => (request.blockNetwork ? false : (request.allowHosts ?? true)),
      notFound: (sandboxId) => named("NotFoundError", `Sandbox ${sandboxId} not found`),
      dropped: () =>
        named("ClientError", "/modal.client.ModalClient/ContainerExec UNAVAILABLE: Connection dropped"),
    });
  }

  close(): void {
    this.closed = true;
  }

  async check(): Promise<void> {
    this.calls.push({ op: "check" });
    if (this.checkFailure !== null) throw this.checkFailure;
  }

  override async create(request: ModalCreateRequest): Promise<ModalSession> {
    if (this.checkFailure !== null) throw this.checkFailure;
    return super.create(request);
  }

  async list(tags: Readonly<Record<string, string>>): Promise<ModalSandboxInfo[]> {
    return this.listLabelled(tags).map((found) => ({ sandboxId: found.sandboxId, tags: found.labels }));
  }

  protected override session(sandboxId: string): ModalSession {
    return this.remoteSession(sandboxId);
  }
}
