import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AbortError, type Clock, messageOf, systemClock, UserError } from "@longshot/core";
import { Git, type GitRunner, ProcessGitRunner } from "@longshot/git";
import {
  type Sandbox,
  type SandboxCreateOptions,
  SandboxError,
  type SandboxProvider,
  shallowRoots,
} from "@longshot/sandbox";
import type { E2BClient, E2BSession } from "./e2b-client.js";
import { type E2BPaths, E2BSandbox } from "./e2b-sandbox.js";
import { e2bSdkClient } from "./e2b-sdk-client.js";
import { SessionKeeper } from "./internal/session-keeper.js";

/** Options of {@link E2BSandboxProvider}. */
export interface E2BSandboxProviderOptions {
  /** The SDK boundary; default `e2bSdkClient({ apiKey })` over the `e2b` package. */
  readonly client?: E2BClient;
  /** E2B API key for the default client. It is never put into a sandbox's environment. */
  readonly apiKey?: string;
  /** Template name or id; default `longshot-worker` (docker/e2b.Dockerfile). */
  readonly template?: string;
  /**
   * Host directory for bundles (created when missing). Providers with the same
   * `workspaceRoot` (and `scope`) are one family for `cleanOrphans`.
   */
  readonly workspaceRoot: string;
  /** Metadata value grouping this provider's sandboxes for `cleanOrphans`; default `workspaceRoot`. */
  readonly scope?: string;
  /** Paths inside the sandbox; defaults `/home/user/workspace`, `/home/user`, `/tmp`. */
  readonly paths?: Partial<E2BPaths>;
  /** Reconnect attempts after a transient failure; default 3. */
  readonly retries?: number;
  readonly clock?: Clock;
  /** How git runs on the host; default `ProcessGitRunner`. */
  readonly gitRunner?: GitRunner;
}

/** Default template name. */
export const defaultE2BTemplate = "longshot-worker";

const metadataKeys = {
  sandbox: "longshot.sandbox",
  run: "longshot.run",
  task: "longshot.task",
  scope: "longshot.scope",
};
/** The service kills a sandbox this long after its wall timeout, should the orchestrator be gone. */
const lifetimeGraceMs = 60_000;

/**
 * Creates one E2B sandbox per task attempt from a template. The task branch is created at the
 * base commit in the orchestrator's repository, bundled and uploaded; the result comes back as
 * a bundle on `exportResult`. Sandboxes carry metadata (`longshot.sandbox`, `longshot.run`,
 * `longshot.task`, `longshot.scope`) by which `cleanOrphans` finds and kills leftovers.
 */
export class E2BSandboxProvider implements SandboxProvider {
  readonly name = "e2b";
  readonly template: string;
  readonly #client: E2BClient;
  readonly #root: string;
  readonly #scope: string;
  readonly #paths: E2BPaths;
  readonly #retries: number;
  readonly #clock: Clock;
  readonly #runner: GitRunner;

  /** Throws `UserError` when neither a client nor an API key is given. */
  constructor(options: E2BSandboxProviderOptions) {
    if (options.client === undefined && (options.apiKey === undefined || options.apiKey === "")) {
      throw new UserError(
        "The E2B sandbox provider needs an API key; set E2B_API_KEY or choose another SANDBOX_PROVIDER.",
      );
    }
    this.#client = options.client ?? e2bSdkClient({ apiKey: options.apiKey ?? "" });
    this.template = options.template ?? defaultE2BTemplate;
    this.#root = resolve(options.workspaceRoot);
    this.#scope = options.scope ?? this.#root;
    this.#paths = {
      workdir: options.paths?.workdir ?? "/home/user/workspace",
      home: options.paths?.home ?? "/home/user",
      tmpDir: options.paths?.tmpDir ?? "/tmp",
    };
    this.#retries = options.retries ?? 3;
    this.#clock = options.clock ?? systemClock;
    this.#runner = options.gitRunner ?? new ProcessGitRunner();
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    if (options.signal?.aborted) throw new AbortError();
    const signal = options.signal === undefined ? {} : { signal: options.signal };
    const id = `${clean(options.runId)}-${clean(options.taskId)}-${randomBytes(3).toString("hex")}`;
    const hostDir = join(this.#root, id);
    const repo = new Git(resolve(options.repoPath), { runner: this.#runner });
    let session: E2BSession | undefined;
    try {
      await mkdir(hostDir, { recursive: true });
      await repo.createBranch(options.branch, options.baseCommit, signal);
      await repo.bundleCreate(join(hostDir, "in.bundle"), [`refs/heads/${options.branch}`], signal);
      const bundle = await readFile(join(hostDir, "in.bundle"));
      const roots = await shallowRoots(this.#runner, resolve(options.repoPath), options.signal);
      session = await this.#client.create({
        template: this.template,
        timeoutMs: options.limits.wallTimeoutMs + lifetimeGraceMs,
        metadata: {
          [metadataKeys.sandbox]: id,
          [metadataKeys.run]: options.runId,
          [metadataKeys.task]: options.taskId,
          [metadataKeys.scope]: this.#scope,
        },
        allowInternetAccess: options.limits.network,
        ...signal,
      });
      return await E2BSandbox.start(
        {
          id,
          keeper: new SessionKeeper(this.#client, session, this.#clock, this.#retries),
          client: this.#client,
          paths: this.#paths,
          repo,
          hostRunner: this.#runner,
          shallowRoots: roots,
          hostDir,
          branch: options.branch,
          baseCommit: options.baseCommit,
          limits: options.limits,
          env: options.env ?? {},
          clock: this.#clock,
        },
        bundle,
        options.signal,
      );
    } catch (error) {
      if (session !== undefined) await this.#client.kill(session.sandboxId).catch(() => false);
      await rm(hostDir, { recursive: true, force: true });
      if (options.signal?.aborted) throw new AbortError(undefined, { cause: error });
      if (error instanceof SandboxError) throw error;
      throw new SandboxError("create-failed", `Could not create an E2B sandbox: ${messageOf(error)}`, {
        cause: error,
        fields: { sandboxId: id },
      });
    }
  }

  /** Kills this scope's sandboxes whose id is not live and removes their host directories. */
  async cleanOrphans(
    liveIds: readonly string[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly string[]> {
    const signal = options.signal === undefined ? {} : { signal: options.signal };
    const live = new Set(liveIds);
    const removed = new Set<string>();
    for (const info of await this.#client.list({ [metadataKeys.scope]: this.#scope }, signal)) {
      const id = info.metadata[metadataKeys.sandbox];
      if (id === undefined || live.has(id)) continue;
      await this.#client.kill(info.sandboxId, signal).catch(() => false);
      removed.add(id);
    }
    for (const entry of await readdir(this.#root, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || live.has(entry.name)) continue;
      await rm(join(this.#root, entry.name), { recursive: true, force: true });
      removed.add(entry.name);
    }
    return [...removed];
  }

  /** Nothing is pooled: live sandboxes are left alone. */
  async close(): Promise<void> {}
}

function clean(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 60);
}
