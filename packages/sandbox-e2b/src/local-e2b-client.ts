import { LocalRemoteService } from "@longshot/sandbox/conformance";
import type { E2BClient, E2BCreateRequest, E2BSandboxInfo, E2BSession } from "./e2b-client.js";

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * A recording fake of the E2B service that runs every command on this machine (see
 * `LocalRemoteService`): sandboxes are found by metadata, the internet is cut unless the
 * request allows it, and a session can kill its own sandbox.
 */
export class LocalE2BClient extends LocalRemoteService<E2BCreateRequest, E2BSession> implements E2BClient {
  constructor() {
    super({
      idPrefix: "fake",
      labelsOf: (request) => request.metadata,
      networkOf: (request) => (request.allowInternetAccess ? true : (request.allowOut ?? false)),
      notFound: (sandboxId) => named("SandboxNotFoundError", `sandbox ${sandboxId} not found`),
      dropped: () => named("ConnectError", "[unavailable] upstream connect error: connection reset"),
    });
  }

  async list(metadata: Readonly<Record<string, string>>): Promise<E2BSandboxInfo[]> {
    return this.listLabelled(metadata).map((found) => ({
      sandboxId: found.sandboxId,
      metadata: found.labels,
    }));
  }

  protected override session(sandboxId: string): E2BSession {
    return {
      ...this.remoteSession(sandboxId),
      kill: async () => {
        this.calls.push({ op: "session-kill", sandboxId });
        this.terminate(sandboxId);
      },
    };
  }
}
