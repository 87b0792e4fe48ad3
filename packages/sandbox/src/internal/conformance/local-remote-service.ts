import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { RemoteRunOptions, RemoteRunResult, RemoteSession } from "../../remote/remote-service.js";
import { type LocalRoute, runRemoteCommandLocally } from "./local-remote.js";

/** A session call of an offline service fake that `failNext` can make fail. */
export type LocalRemoteSessionOp = "run" | "writeFile" | "readFile";

/** One call a provider made at the SDK boundary of an offline service fake. */
export type LocalRemoteCall<Request> =
  | { readonly op: "create"; readonly sandboxId: string; readonly request: Request }
  | { readonly op: "connect" | "kill" | "session-kill"; readonly sandboxId: string }
  | { readonly op: "list"; readonly labels: Readonly<Record<string, string>> }
  | { readonly op: "check" }
  | {
      readonly op: "run";
      readonly sandboxId: string;
      readonly command: string;
      readonly cwd: string | undefined;
    }
  | { readonly op: "writeFile" | "readFile"; readonly sandboxId: string; readonly path: string };

/** What tells one cloud service's fake from another's: ids, labels, network and its errors. */
export interface LocalRemoteFlavour<Request> {
  /** Prefix of the sandbox ids the fake hands out. */
  readonly idPrefix: string;
  /** The labels (E2B metadata, Modal tags) a sandbox was created with. */
  labelsOf(request: Request): Readonly<Record<string, string>>;
  /**
   * Whether a sandbox created with this request may reach the network: all of it, none, or
   * only these hosts (the service's egress allow-list).
   */
  networkOf(request: Request): boolean | readonly string[];
  /** The error the service's SDK throws for an id it does not know or that is gone. */
  notFound(sandboxId: string): Error;
  /** The error the service's SDK throws for a dropped connection. */
  dropped(): Error;
}

interface LocalSandbox<Request> {
  readonly id: string;
  readonly request: Request;
  alive: boolean;
  /** Process-group files the provider's wrapper wrote, found in its command lines. */
  readonly pidFiles: Set<string>;
}

/**
 * The machinery of a recording fake of a cloud sandbox service (E2B, Modal) that runs every
 * command on this machine with bash, in the directories the provider names (point the
 * provider's `paths` at a temporary directory). Its only isolation is the network the service
 * would cut (a network namespace when the sandbox was created without it): it exists to
 * exercise a provider at the SDK boundary with real git. Killing a sandbox kills the process
 * groups its commands recorded. `failNext` injects transient failures. Each service's fake
 * extends it with its own request shape, session and errors.
 */
export abstract class LocalRemoteService<Request, Session extends RemoteSession = RemoteSession> {
  readonly calls: LocalRemoteCall<Request>[] = [];
  readonly #flavour: LocalRemoteFlavour<Request>;
  readonly #sandboxes = new Map<string, LocalSandbox<Request>>();
  readonly #failures = new Map<LocalRemoteSessionOp, number>();
  readonly #routes: LocalRoute[] = [];

  constructor(flavour: LocalRemoteFlavour<Request>) {
    this.#flavour = flavour;
  }

  /** The next `count` calls of `op` (on any session) fail like a dropped connection. */
  failNext(op: LocalRemoteSessionOp, count = 1): void {
    this.#failures.set(op, (this.#failures.get(op) ?? 0) + count);
  }

  /**
   * Makes `host:port` of this machine answer inside sandboxes whose egress allow-list names
   * `host` (as the real service lets them reach that host); every other address stays cut.
   */
  reach(host: string, port: number): void {
    this.#routes.push({ host, port });
  }

  isAlive(sandboxId: string): boolean {
    return this.#sandboxes.get(sandboxId)?.alive === true;
  }

  async create(request: Request): Promise<Session> {
    const id = `${this.#flavour.idPrefix}${randomBytes(4).toString("hex")}`;
    this.#sandboxes.set(id, { id, request, alive: true, pidFiles: new Set() });
    this.calls.push({ op: "create", sandboxId: id, request });
    return this.session(id);
  }

  async connect(sandboxId: string): Promise<Session> {
    this.calls.push({ op: "connect", sandboxId });
    this.#live(sandboxId);
    return this.session(sandboxId);
  }

  /** Live sandboxes whose labels include every entry of `labels`. */
  protected listLabelled(
    labels: Readonly<Record<string, string>>,
  ): { readonly sandboxId: string; readonly labels: Readonly<Record<string, string>> }[] {
    this.calls.push({ op: "list", labels });
    return [...this.#sandboxes.values()]
      .filter((sandbox) => sandbox.alive)
      .map((sandbox) => ({ sandboxId: sandbox.id, labels: this.#flavour.labelsOf(sandbox.request) }))
      .filter((sandbox) => Object.entries(labels).every(([key, value]) => sandbox.labels[key] === value));
  }

  async kill(sandboxId: string): Promise<boolean> {
    this.calls.push({ op: "kill", sandboxId });
    return this.terminate(sandboxId);
  }

  /** Ends a sandbox and kills the process groups of its commands; false when it was gone. */
  protected terminate(sandboxId: string): boolean {
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

  /** The session handed out by `create` and `connect`: `remoteSession`, with the service's own calls. */
  protected abstract session(sandboxId: string): Session;

  /** The calls every service's session has: run, writeFile, readFile. */
  protected remoteSession(sandboxId: string): RemoteSession {
    return {
      sandboxId,
      run: async (command: string, options: RemoteRunOptions = {}): Promise<RemoteRunResult> => {
        const sandbox = this.#live(sandboxId);
        this.calls.push({ op: "run", sandboxId, command, cwd: options.cwd });
        this.#maybeFail("run");
        for (const match of command.matchAll(/\S*\.longshot-exec-[0-9a-f-]{36}/g))
          sandbox.pidFiles.add(match[0]);
        const network = this.#flavour.networkOf(sandbox.request);
        return runRemoteCommandLocally(command, options, {
          network:
            typeof network === "boolean"
              ? network
              : { reachable: this.#routes.filter((route) => network.includes(route.host)) },
        });
      },
      writeFile: async (path: string, data: Uint8Array) => {
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
    };
  }

  #live(sandboxId: string): LocalSandbox<Request> {
    const sandbox = this.#sandboxes.get(sandboxId);
    if (sandbox === undefined || !sandbox.alive) throw this.#flavour.notFound(sandboxId);
    return sandbox;
  }

  #maybeFail(op: LocalRemoteSessionOp): void {
    const left = this.#failures.get(op) ?? 0;
    if (left <= 0) return;
    this.#failures.set(op, left - 1);
    throw this.#flavour.dropped();
  }
}
