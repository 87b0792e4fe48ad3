import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { runRemoteCommandLocally } from "@longshot/sandbox/conformance";
import type {
  E2BCallOptions,
  E2BClient,
  E2BCreateRequest,
  E2BRunOptions,
  E2BRunResult,
  E2BSandboxInfo,
  E2BSession,
} from "../e2b-client.js";

/** One call the provider made at the SDK boundary. */
export type RecordedCall =
  | { readonly op: "create"; readonly sandboxId: string; readonly request: E2BCreateRequest }
  | { readonly op: "connect" | "kill" | "session-kill"; readonly sandboxId: string }
  | { readonly op: "list"; readonly metadata: Readonly<Record<string, string>> }
  | { readonly op: "run"; readonly sandboxId: string; readonly command: string; readonly cwd: string | undefined }
  | { readonly op: "writeFile" | "readFile"; readonly sandboxId: string; readonly path: string };

type SessionOp = "run" | "writeFile" | "readFile";

interface FakeSandbox {
  readonly id: string;
  readonly request: E2BCreateRequest;
  alive: boolean;
  /** Process-group files the provider's wrapper wrote, found in its command lines. */
  readonly pidFiles: Set<string>;
}

/**
 * A recording fake of the E2B service that runs every command on this machine with bash, in
 * the directories the provider names (point the provider's `paths` at a temporary directory).
 * Its only isolation is the network the service would cut (a network namespace when the sandbox
 * was created without internet access): it exists to exercise the provider at the SDK boundary
 * with real git.
 * Killing a sandbox kills the process groups its commands recorded. `failNext` injects
 * transient failures.
 */
export class LocalE2BClient implements E2BClient {
  readonly calls: RecordedCall[] = [];
  readonly #sandboxes = new Map<string, FakeSandbox>();
  readonly #failures = new Map<SessionOp, number>();

  /** The next `count` calls of `op` (on any session) fail like a dropped connection. */
  failNext(op: SessionOp, count = 1): void {
    this.#failures.set(op, (this.#failures.get(op) ?? 0) + count);
  }

  isAlive(sandboxId: string): boolean {
    return this.#sandboxes.get(sandboxId)?.alive === true;
  }

  async create(request: E2BCreateRequest): Promise<E2BSession> {
    const id = `fake${randomBytes(4).toString("hex")}`;
    this.#sandboxes.set(id, { id, request, alive: true, pidFiles: new Set() });
    this.calls.push({ op: "create", sandboxId: id, request });
    return this.#session(id);
  }

  async connect(sandboxId: string): Promise<E2BSession> {
    this.calls.push({ op: "connect", sandboxId });
    this.#live(sandboxId);
    return this.#session(sandboxId);
  }

  async list(metadata: Readonly<Record<string, string>>): Promise<E2BSandboxInfo[]> {
    this.calls.push({ op: "list", metadata });
    return [...this.#sandboxes.values()]
      .filter((sandbox) => sandbox.alive)
      .filter((sandbox) => Object.entries(metadata).every(([key, value]) => sandbox.request.metadata[key] === value))
      .map((sandbox) => ({ sandboxId: sandbox.id, metadata: sandbox.request.metadata }));
  }

  async kill(sandboxId: string): Promise<boolean> {
    this.calls.push({ op: "kill", sandboxId });
    return this.#kill(sandboxId);
  }

  #kill(sandboxId: string): boolean {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (sandbox === undefined || !sandbox.alive) return false;
    sandbox.alive = false;
    for (const file of sandbox.pidFiles) {
      if (!existsSync(file)) continue;
      const group = Number(readFileSync(file, "utf8").trim());
      if (group > 1) {
        try {
          process.kill(-group, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    return true;
  }

  #live(sandboxId: string): FakeSandbox {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (sandbox === undefined || !sandbox.alive) {
      const error = new Error(`sandbox ${sandboxId} not found`);
      error.name = "SandboxNotFoundError";
      throw error;
    }
    return sandbox;
  }

  #maybeFail(op: SessionOp): void {
    const left = this.#failures.get(op) ?? 0;
    if (left <= 0) return;
    this.#failures.set(op, left - 1);
    const error = new Error("[unavailable] upstream connect error: connection reset");
    error.name = "ConnectError";
    throw error;
  }

  #session(sandboxId: string): E2BSession {
    return {
      sandboxId,
      run: async (command: string, options: E2BRunOptions = {}): Promise<E2BRunResult> => {
        const sandbox = this.#live(sandboxId);
        this.calls.push({ op: "run", sandboxId, command, cwd: options.cwd });
        this.#maybeFail("run");
        for (const match of command.matchAll(/\S*\.longshot-exec-[0-9a-f-]{36}/g)) sandbox.pidFiles.add(match[0]);
        return runRemoteCommandLocally(command, options, { network: sandbox.request.allowInternetAccess });
      },
      writeFile: async (path: string, data: Uint8Array, _options?: E2BCallOptions) => {
        this.#live(sandboxId);
        this.calls.push({ op: "writeFile", sandboxId, path });
        this.#maybeFail("writeFile");
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, data);
      },
      readFile: async (path: string) => {
        this.#live(sandboxId);
        this.calls.push({ op: "readFile", sandboxId, path });
        this.#maybeFail("readFile");
        return new Uint8Array(await readFile(path));
      },
      kill: async () => {
        this.calls.push({ op: "session-kill", sandboxId });
        this.#kill(sandboxId);
      },
    };
  }
}
