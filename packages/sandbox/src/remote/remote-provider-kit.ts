import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AbortError, type Clock, messageOf, systemClock } from "@longshot/core";
import { Git, type GitRunner, ProcessGitRunner } from "@longshot/git";
import { shallowRoots } from "../bundle-transfer.js";
import type { Sandbox, SandboxCreateOptions, SandboxIsolation } from "../sandbox.js";
import { SandboxError } from "../sandbox-error.js";
import { startTaskBranch } from "../task-branch.js";
import { type RemotePaths, RemoteSandbox } from "./remote-sandbox.js";
import type { LabelledRemoteService, RemoteService, RemoteSession } from "./remote-service.js";
import { SessionKeeper } from "./session-keeper.js";

/** Label keys every remote sandbox carries (E2B metadata, Modal tags), for orphan cleanup. */
export const remoteLabelKeys = {
  sandbox: "longshot.sandbox",
  run: "longshot.run",
  task: "longshot.task",
  scope: "longshot.scope",
} as const;

/** What a provider over a remote service shares with every sandbox it creates. */
export interface RemoteProviderKit {
  readonly provider: string;
  readonly service: string;
  readonly isolation: SandboxIsolation;
  readonly client: RemoteService;
  /** Host directory holding one bundle directory per sandbox. */
  readonly root: string;
  readonly scope: string;
  readonly paths: RemotePaths;
  readonly retries: number;
  readonly clock: Clock;
  readonly runner: GitRunner;
  /** See `RemoteSandboxParts.pinCpus`. */
  readonly pinCpus?: boolean;
  /** The service's running machines whose labels include every entry of `labels`. */
  readonly listMachines: (
    labels: Readonly<Record<string, string>>,
    options: { readonly signal?: AbortSignal },
  ) => Promise<readonly RemoteMachine[]>;
}

/** The options every provider over a remote service takes, besides its client and credentials. */
export interface RemoteProviderOptions {
  /**
   * Host directory for bundles (created when missing). Providers with the same
   * `workspaceRoot` (and `scope`) are one family for `cleanOrphans`.
   */
  readonly workspaceRoot: string;
  /** Label value grouping this provider's sandboxes for `cleanOrphans`; default `workspaceRoot`. */
  readonly scope?: string;
  /** Paths inside the sandbox; each defaults to the service's own. */
  readonly paths?: Partial<RemotePaths>;
  /** Reconnect attempts after a transient failure; default 3. */
  readonly retries?: number;
  readonly clock?: Clock;
  /** How git runs on the host; default `ProcessGitRunner`. */
  readonly gitRunner?: GitRunner;
  /**
   * Hosts a sandbox created without network may still reach, and nothing else: the model
   * gateway's public host (GATEWAY_PUBLIC_URL) for CLI harnesses. Empty or absent: no network.
   */
  readonly egressAllow?: readonly string[];
}

/** What a provider's service fixes in its kit; the rest comes from {@link RemoteProviderOptions}. */
export interface RemoteServiceParts<Info extends { readonly sandboxId: string }>
  extends Pick<RemoteProviderKit, "provider" | "service" | "isolation" | "pinCpus"> {
  readonly client: LabelledRemoteService<never, RemoteSession, Info>;
  /** The labels (E2B metadata, Modal tags) of a machine the service listed. */
  readonly labelsOf: (info: Info) => Readonly<Record<string, string>>;
  /** Paths inside the service's machines when the options name none. */
  readonly defaultPaths: RemotePaths;
}

/** The kit of a provider: the service's parts and the options, defaults filled in. */
export function remoteProviderKit<Info extends { readonly sandboxId: string }>(
  options: RemoteProviderOptions,
  parts: RemoteServiceParts<Info>,
): RemoteProviderKit {
  const { defaultPaths, labelsOf, ...service } = parts;
  const root = resolve(options.workspaceRoot);
  return {
    ...service,
    root,
    scope: options.scope ?? root,
    paths: { ...defaultPaths, ...options.paths },
    retries: options.retries ?? 3,
    clock: options.clock ?? systemClock,
    runner: options.gitRunner ?? new ProcessGitRunner(),
    listMachines: async (labels, call) =>
      (await parts.client.list(labels, call)).map((info) => ({
        sandboxId: info.sandboxId,
        labels: labelsOf(info),
      })),
  };
}

/**
 * Creates one remote sandbox: the task branch is (re)started at the base commit in the
 * orchestrator's repository, bundled, the machine is started by `launch` with the labels, the
 * bundle uploaded and cloned. Anything started is killed and the host directory removed when
 * a step fails. Throws `SandboxError` (`create-failed`), `AbortError`.
 */
export async function createRemoteSandbox(
  kit: RemoteProviderKit,
  options: SandboxCreateOptions,
  launch: (
    labels: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ) => Promise<RemoteSession>,
): Promise<Sandbox> {
  if (options.signal?.aborted) throw new AbortError();
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const id = `${clean(options.runId)}-${clean(options.taskId)}-${randomBytes(3).toString("hex")}`;
  const hostDir = join(kit.root, id);
  const repo = new Git(resolve(options.repoPath), { runner: kit.runner });
  let session: RemoteSession | undefined;
  try {
    await mkdir(hostDir, { recursive: true });
    await startTaskBranch(repo, options.branch, options.baseCommit, options.signal);
    await repo.bundleCreate(join(hostDir, "in.bundle"), [`refs/heads/${options.branch}`], signal);
    const bundle = await readFile(join(hostDir, "in.bundle"));
    const roots = await shallowRoots(kit.runner, resolve(options.repoPath), options.signal);
    session = await launch(
      {
        [remoteLabelKeys.sandbox]: id,
        [remoteLabelKeys.run]: options.runId,
        [remoteLabelKeys.task]: options.taskId,
        [remoteLabelKeys.scope]: kit.scope,
      },
      options.signal,
    );
    return await RemoteSandbox.start(
      {
        provider: kit.provider,
        service: kit.service,
        isolation: kit.isolation,
        id,
        keeper: new SessionKeeper(kit.client, session, kit.clock, kit.retries),
        client: kit.client,
        paths: kit.paths,
        repo,
        hostRunner: kit.runner,
        hostDir,
        branch: options.branch,
        baseCommit: options.baseCommit,
        shallowRoots: roots,
        limits: options.limits,
        env: options.env ?? {},
        clock: kit.clock,
        ...(kit.pinCpus === undefined ? {} : { pinCpus: kit.pinCpus }),
      },
      bundle,
      options.signal,
    );
  } catch (error) {
    if (session !== undefined) await kit.client.kill(session.sandboxId).catch(() => false);
    await rm(hostDir, { recursive: true, force: true });
    if (options.signal?.aborted) throw new AbortError(undefined, { cause: error });
    if (error instanceof SandboxError) throw error;
    throw new SandboxError(
      "create-failed",
      `Could not create a ${kit.service} sandbox: ${messageOf(error)}`,
      {
        cause: error,
        fields: { sandboxId: id },
      },
    );
  }
}

/** A running machine of the service and its labels. */
export interface RemoteMachine {
  readonly sandboxId: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Kills the scope's machines whose longshot id is not live (found by `listMachines` with the scope
 * label) and removes their host directories. Returns the removed longshot ids.
 */
export async function cleanRemoteOrphans(
  kit: RemoteProviderKit,
  liveIds: readonly string[],
  signal: AbortSignal | undefined,
): Promise<readonly string[]> {
  const options = signal === undefined ? {} : { signal };
  const live = new Set(liveIds);
  const removed = new Set<string>();
  for (const machine of await kit.listMachines({ [remoteLabelKeys.scope]: kit.scope }, options)) {
    const id = machine.labels[remoteLabelKeys.sandbox];
    if (id === undefined || live.has(id)) continue;
    await kit.client.kill(machine.sandboxId, options).catch(() => false);
    removed.add(id);
  }
  for (const entry of await readdir(kit.root, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || live.has(entry.name)) continue;
    await rm(join(kit.root, entry.name), { recursive: true, force: true });
    removed.add(entry.name);
  }
  return [...removed];
}

function clean(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 60);
}
