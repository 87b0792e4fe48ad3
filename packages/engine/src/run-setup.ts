import { type Config, integrationBranch, runSettingsOf, UserError } from "@longshot/core";
import { Git, type GitRunner, type Identity, ProcessGitRunner } from "@longshot/git";
import { isInside, normalizePath, restoreHiddenTests, withoutHiddenTests } from "@longshot/reconciler";
import type { Store } from "@longshot/store";
import { holdOutAgain } from "./adapters/run-sandboxes.js";
import type { RunStart } from "./run-types.js";

/** Who longshot's own commits are by. */
export const longshotIdentity: Identity = { name: "longshot", email: "longshot@localhost" };

export interface RunSetupOptions {
  readonly repoPath: string;
  readonly config: Config;
  readonly runId: string;
  /** The build request for a new run; null to resume `runId` from its log. */
  readonly request: string | null;
  readonly store: Store;
  /** Recorded in the run's start: the names of the sandbox provider and harness chosen. */
  readonly sandboxName: string;
  readonly harnessName: string;
  /** A git remote holding the integration branch: a new run's branch is created there too. */
  readonly remote?: string;
}

/** Acceptance tests held out of the run (HIDDEN_TESTS) and the commit that still has them. */
export interface HiddenTests {
  readonly path: string;
  readonly source: string;
}

/** The git and state a run starts from, before any part of it is built. */
export interface RunSetup {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly integrationBranch: string;
  /** What `engine.run` needs for a new run; null when resuming. */
  readonly start: RunStart | null;
  /** The request the planner works on (for a resumed run, the one its log recorded). */
  readonly request: string;
  /** The held-out path, whether or not its source is known. */
  readonly hiddenPath: string | null;
  readonly hidden: HiddenTests | null;
  /** The run's start commit: where its integration branch began (held-out tests already removed). */
  readonly root: string;
  /** Tasks the log says landed: the merge queue must not land them again. */
  readonly landed: readonly string[];
  /** Puts held-out tests back on the integration branch (see `OpenedRun.restoreHidden`). */
  restoreHidden(): Promise<void>;
}

/**
 * The run-start step: for a new run, checks the target branch (and the held-out tests in it)
 * and creates the integration branch at its head, without the held-out tests, locally and on
 * the remote; for a resumed run, reads what the log recorded and holds the tests out again.
 * Throws `UserError` on a missing target branch, a missing HIDDEN_TESTS path, a taken branch,
 * a refused push, or a log without a start.
 */
export async function setUpRun(options: RunSetupOptions): Promise<RunSetup> {
  const { config, runId } = options;
  const git = new Git(options.repoPath);
  const runner = new ProcessGitRunner();
  const branch = integrationBranch(config.GIT_BRANCH_PREFIX, runId);
  const hiddenPath = config.HIDDEN_TESTS === undefined ? null : normalizePath(config.HIDDEN_TESTS);
  const context: SetupContext = { options, git, runner, branch, hiddenPath };
  const begun =
    options.request === null ? await resumeRun(context) : await startRun(context, options.request);
  const hidden =
    hiddenPath !== null && begun.hiddenSource !== null
      ? { path: hiddenPath, source: begun.hiddenSource }
      : null;
  return {
    git,
    runner,
    integrationBranch: branch,
    start: begun.start,
    request: options.request ?? options.store.getRun(runId)?.request ?? "",
    hiddenPath,
    hidden,
    root: begun.root,
    landed: options.store.listTasks(runId, { state: "landed" }).map((task) => task.id),
    restoreHidden: () => restoreHidden(git, runner, branch, hidden),
  };
}

interface SetupContext {
  readonly options: RunSetupOptions;
  readonly git: Git;
  readonly runner: GitRunner;
  readonly branch: string;
  readonly hiddenPath: string | null;
}

interface Begun {
  readonly start: RunStart | null;
  readonly root: string;
  /** The commit holding the held-out tests, when known. */
  readonly hiddenSource: string | null;
}

async function startRun(context: SetupContext, request: string): Promise<Begun> {
  const { options, git, branch, hiddenPath } = context;
  const { config } = options;
  const base = await git.resolveCommit(`refs/heads/${config.GIT_MAIN_BRANCH}`);
  if (base === null) {
    throw new UserError(
      `The target branch ${config.GIT_MAIN_BRANCH} does not exist in ${options.repoPath}; set GIT_MAIN_BRANCH to an existing branch.`,
    );
  }
  const startCommit = hiddenPath === null ? base : await holdOutFromBase(context, base, hiddenPath);
  await createIntegrationBranch(context, startCommit);
  const start: RunStart = {
    request,
    repo: options.repoPath,
    baseCommit: base,
    startCommit: startCommit === base ? null : startCommit,
    targetBranch: config.GIT_MAIN_BRANCH,
    integrationBranch: branch,
    settings: {
      maxWorkers: config.MAX_WORKERS,
      sandbox: options.sandboxName,
      harness: options.harnessName,
      model: config.LLM_MODEL,
      strategy: config.MERGE_STRATEGY,
      ...(hiddenPath === null ? {} : { hiddenTests: hiddenPath }),
      // Everything `resume` restores (see `runSettingNames`).
      config: runSettingsOf(config),
    },
  };
  return { start, root: startCommit, hiddenSource: hiddenPath === null ? null : base };
}

/**
 * Every sandbox starts from the integration branch, so holding the tests out of its first
 * commit keeps them out of every sandbox, bundle, file list and diff.
 */
async function holdOutFromBase(context: SetupContext, base: string, hiddenPath: string): Promise<string> {
  const { git, runner, options } = context;
  const files = await git.listFiles(base);
  if (!files.some((file) => isInside(file, hiddenPath))) {
    throw new UserError(
      `HIDDEN_TESTS names ${hiddenPath}, which is not in ${options.config.GIT_MAIN_BRANCH}; commit the acceptance tests there or fix the path.`,
    );
  }
  return withoutHiddenTests(base, { git, runner, path: hiddenPath, identity: longshotIdentity });
}

async function createIntegrationBranch(context: SetupContext, startCommit: string): Promise<void> {
  const { git, branch, options } = context;
  const created = await git.updateRef(`refs/heads/${branch}`, startCommit, null);
  if (!created.ok) throw new UserError(`The branch ${branch} already exists; choose another run id.`);
  if (options.remote === undefined) return;
  const pushed = await git.push(options.remote, startCommit, `refs/heads/${branch}`, { expected: null });
  if (!pushed.ok) {
    throw new UserError(
      `Could not create ${branch} on ${options.remote} (${pushed.reason}); check access to GIT_REPO_URL.`,
    );
  }
}

async function resumeRun(context: SetupContext): Promise<Begun> {
  const { options, git, runner, branch, hiddenPath } = context;
  const first = options.store.events(options.runId, { types: ["run-start"] })[0];
  if (first?.type !== "run-start")
    throw new UserError(`Run ${options.runId} has no start in its log; it cannot be resumed.`);
  const root = first.startCommit ?? first.baseCommit;
  if (hiddenPath === null) return { start: null, root, hiddenSource: null };
  await holdOutAgain({ git, runner, ref: `refs/heads/${branch}`, hiddenPath, identity: longshotIdentity });
  return { start: null, root, hiddenSource: options.store.getRun(options.runId)?.baseCommit ?? null };
}

async function restoreHidden(
  git: Git,
  runner: GitRunner,
  branch: string,
  hidden: HiddenTests | null,
): Promise<void> {
  if (hidden === null) return;
  const ref = `refs/heads/${branch}`;
  const head = await git.resolveCommit(ref);
  if (head === null) return;
  const restored = await restoreHiddenTests(head, hidden.source, {
    git,
    runner,
    path: hidden.path,
    identity: longshotIdentity,
  });
  if (restored !== head) await git.updateRef(ref, restored, head);
}
