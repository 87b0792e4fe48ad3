import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Git, GitRunner, Identity } from "@longshot/git";
import { type OpenCheckSandbox, withoutHiddenTests } from "@longshot/reconciler";
import {
  RepositorySandboxProvider,
  type SandboxLimits,
  type SandboxProvider,
  SandboxRepository,
} from "@longshot/sandbox";

export interface RunSandboxesOptions {
  /** The provider chosen by the app (local, docker, e2b). */
  readonly provider: SandboxProvider;
  readonly git: Git;
  readonly runner: GitRunner;
  readonly runId: string;
  /** Directory of the sandboxes' repositories, one `<run>.git` per run (best outside the user's repository). */
  readonly dir: string;
  /** The run's start commit: nothing older enters a sandbox. */
  readonly root: string;
  /** The held-out path, kept out of every sandbox. */
  readonly hiddenPath: string | null;
  readonly branchPrefix: string;
  /** The workers' limits; check sandboxes get the same, living as long as the run. */
  readonly limits: SandboxLimits;
  readonly signal?: AbortSignal;
}

/** The sandboxes of one run: every one made from the run's own repository. */
export interface RunSandboxes {
  /** The provider the engine uses for workers. */
  readonly provider: RepositorySandboxProvider;
  /** Another provider (a SANDBOX_ROUTES target) making its sandboxes from the same repository. */
  wrap(provider: SandboxProvider): SandboxProvider;
  /** Opens check sandboxes for one consumer (`health`, `gate`), named apart in the log. */
  checkSandboxes(consumer: string): OpenCheckSandbox;
  /** Deletes the run's repository; call once every sandbox of the run is destroyed. */
  remove(): Promise<void>;
}

/** Check sandboxes live as long as the run; their commands still have their own timeouts. */
const runLongMs = 7 * 24 * 3_600_000;

/**
 * Opens the run's sandboxes' repository (shallow at the start, without the held-out path; see
 * `SandboxRepository`) and wraps the provider so every sandbox, workers' and checks' alike, is
 * made from it. Repositories of other runs left in `dir` (by a crashed process) are deleted.
 */
export async function openRunSandboxes(options: RunSandboxesOptions): Promise<RunSandboxes> {
  const own = `${options.runId}.git`;
  for (const entry of existsSync(options.dir) ? readdirSync(options.dir) : []) {
    if (entry.endsWith(".git") && entry !== own)
      rmSync(join(options.dir, entry), { recursive: true, force: true });
  }
  const repository = await SandboxRepository.open({
    source: options.git.path,
    path: join(options.dir, own),
    root: options.root,
    withhold: options.hiddenPath === null ? [] : [options.hiddenPath],
    runner: options.runner,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const provider = new RepositorySandboxProvider(options.provider, repository);
  let opened = 0;
  const wrapped = new Map<SandboxProvider, SandboxProvider>([[options.provider, provider]]);
  return {
    provider,
    wrap: (other) => {
      let found = wrapped.get(other);
      if (found === undefined) {
        found = new RepositorySandboxProvider(other, repository);
        wrapped.set(other, found);
      }
      return found;
    },
    checkSandboxes: (consumer) => (purpose, commit, signal) => {
      opened += 1;
      const taskId = `${purpose}-${consumer}-${opened}`;
      return provider.create({
        repoPath: options.git.path,
        baseCommit: commit,
        runId: options.runId,
        taskId,
        branch: `${options.branchPrefix}${options.runId}/${taskId}`,
        limits: { ...options.limits, wallTimeoutMs: runLongMs, idleTimeoutMs: runLongMs },
        ...(signal === undefined ? {} : { signal }),
      });
    },
    remove: () => repository.remove(),
  };
}

/**
 * On resume: when the integration head holds the held-out path again (the run ended red and
 * the tests were put back), holds it out once more on top, so sandboxes may start there.
 */
export async function holdOutAgain(options: {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly ref: string;
  readonly hiddenPath: string;
  readonly identity: Identity;
}): Promise<void> {
  const head = await options.git.resolveCommit(options.ref);
  if (head === null) return;
  const held = await withoutHiddenTests(head, {
    git: options.git,
    runner: options.runner,
    path: options.hiddenPath,
    identity: options.identity,
  });
  if (held !== head) await options.git.updateRef(options.ref, held, head);
}
