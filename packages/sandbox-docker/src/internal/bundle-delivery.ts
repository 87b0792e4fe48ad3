import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Git, type GitRunner } from "@longshot/git";
import {
  bundleToward,
  type CommitOptions,
  cloneBundleScript,
  SandboxError,
  shallowRoots,
  startTaskBranch,
} from "@longshot/sandbox";
import type { CaptureCommand } from "./container-exec.js";
import { ContainerGitRunner } from "./container-git-runner.js";
import type { Delivery } from "./delivery.js";

/** Inputs of {@link prepareBundle}. */
export interface BundleDeliveryOptions {
  readonly repoPath: string;
  readonly baseCommit: string;
  readonly branch: string;
  /** A host directory for the bundles (must not exist yet); removed on release. */
  readonly hostPath: string;
  readonly runner: GitRunner;
  /** Where the clone lives inside the container. */
  readonly workdir: string;
  readonly user: string;
  /** The container's command environment, for git run inside it. */
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

const inboundBundle = "/tmp/.longshot-in.bundle";
const outboundBundle = "/tmp/.longshot-out.bundle";
const moveBundle = "/tmp/.longshot-move.bundle";

/** What the delivery's steps share: the inputs, the host repository, and where the branch now starts. */
interface BundleState {
  readonly options: BundleDeliveryOptions;
  readonly repo: Git;
  readonly branchRef: string;
  /** The shallow roots of the host repository, passed to the clone inside the container. */
  readonly roots: readonly string[];
  /** Later commits (after `moveTo`) build on the commit the workspace was moved to. */
  base: string;
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function check(result: { exitCode: number | null; stderr: Buffer }, what: string): void {
  if (result.exitCode !== 0) {
    throw new SandboxError(
      "create-failed",
      `Could not ${what} inside the container: ${result.stderr.toString().trim()}`,
    );
  }
}

function inside(state: BundleState, capture: CaptureCommand): Git {
  return new Git(state.options.workdir, { runner: new ContainerGitRunner(capture, state.options.env) });
}

/** Uploads the inbound bundle and clones it inside the container. */
async function populate(
  state: BundleState,
  capture: CaptureCommand,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { options } = state;
  const bytes = await readFile(join(options.hostPath, "in.bundle"));
  const sig = signalOption(signal);
  check(
    await capture({ argv: ["/bin/sh", "-c", 'cat >"$0"', inboundBundle], stdin: bytes, ...sig }),
    "upload the bundle",
  );
  check(
    await capture({
      argv: [
        "/bin/sh",
        "-c",
        cloneBundleScript,
        inboundBundle,
        options.workdir,
        options.branch,
        state.roots.join(" "),
      ],
      env: options.env,
      ...sig,
    }),
    "clone the bundle",
  );
}

/** Commits every change inside the container; a failure that is not the sandbox's own is `commit-failed`. */
async function commitWork(
  state: BundleState,
  capture: CaptureCommand,
  commit: CommitOptions,
): Promise<string | null> {
  try {
    return await inside(state, capture).commitAll(
      commit.message,
      commit.author,
      commit.signal ? { signal: commit.signal } : {},
    );
  } catch (error) {
    if (error instanceof SandboxError || commit.signal?.aborted) throw error;
    throw new SandboxError("commit-failed", `Could not commit the work of branch ${state.options.branch}.`, {
      cause: error,
    });
  }
}

/** Brings the branch's head home: by moving the ref when it is already here, else by a bundle of `base..branch`. */
async function exportResult(
  state: BundleState,
  capture: CaptureCommand,
  signal: AbortSignal | undefined,
): Promise<string> {
  const { options, repo, branchRef, base } = state;
  const sig = signalOption(signal);
  const head = await inside(state, capture).revParse(branchRef, sig);
  if (head === null)
    throw new SandboxError("export-failed", `Branch ${options.branch} is missing inside the sandbox.`);
  const outside = await repo.revParse(branchRef, sig);
  if (head !== outside && head === base) {
    // Moved, but nothing committed since: the commit is already in the repository.
    await repo.updateRef(branchRef, head, outside, sig);
  } else if (head !== outside) {
    await inside(state, capture).bundleCreate(outboundBundle, [`^${base}`, branchRef], sig);
    const download = await capture({ argv: ["cat", outboundBundle], ...sig });
    if (download.exitCode !== 0) {
      throw new SandboxError(
        "export-failed",
        `Could not read the result bundle: ${download.stderr.toString().trim()}`,
      );
    }
    const file = join(options.hostPath, "out.bundle");
    await writeFile(file, download.stdout);
    await repo.fetchBundle(file, [`+${branchRef}:${branchRef}`], sig);
  }
  return head;
}

/** Checks `commit` out inside the container, sending it there in a bundle first when the clone lacks it. */
async function moveTo(
  state: BundleState,
  capture: CaptureCommand,
  commit: string,
  keep: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const { options } = state;
  const sig = signalOption(signal);
  const runner = new ContainerGitRunner(capture, options.env);
  const git = async (args: readonly string[], what: string): Promise<void> => {
    const result = await runner.run({ args, cwd: options.workdir, ...sig });
    if (result.exitCode !== 0) {
      throw new SandboxError(
        "move-failed",
        `Could not ${what} inside the container: ${result.stderr.trim()}`,
      );
    }
  };
  const present = await runner.run({
    args: ["cat-file", "-e", `${commit}^{commit}`],
    cwd: options.workdir,
    ...sig,
  });
  if (present.exitCode !== 0) {
    const file = join(options.hostPath, "move.bundle");
    const ref = await bundleToward(options.runner, options.repoPath, commit, state.base, file, signal);
    const bytes = await readFile(file);
    check(
      await capture({ argv: ["/bin/sh", "-c", 'cat >"$0"', moveBundle], stdin: bytes, ...sig }),
      "upload the bundle",
    );
    await git(
      ["fetch", "--quiet", "--no-tags", moveBundle, `${ref}:refs/longshot/moved`],
      "fetch the bundle",
    );
    await rm(file, { force: true });
  }
  await git(["checkout", "--force", "--quiet", "-B", options.branch, commit], `check out ${commit}`);
  await git(["clean", "-ffdxq", ...keep.flatMap((pattern) => ["-e", pattern])], "clean the workspace");
  state.base = commit;
}

/**
 * Delivers the repository as a git bundle: the task branch is (re)started at the base commit in
 * the orchestrator's repository (a retry reuses the branch of the earlier attempt), bundled, uploaded through the engine and cloned inside the
 * container; commits are made inside the container, and export bundles `base..branch` there,
 * downloads it and fetches it into the orchestrator's repository. The container never sees the
 * host's disk or any git remote.
 */
export async function prepareBundle(options: BundleDeliveryOptions): Promise<Delivery> {
  const repo = new Git(options.repoPath, { runner: options.runner });
  await mkdir(options.hostPath, { recursive: false });
  const branchRef = `refs/heads/${options.branch}`;
  let roots: string[] = [];
  try {
    await startTaskBranch(repo, options.branch, options.baseCommit, options.signal);
    await repo.bundleCreate(join(options.hostPath, "in.bundle"), [branchRef], signalOption(options.signal));
    roots = await shallowRoots(options.runner, options.repoPath, options.signal);
  } catch (error) {
    await rm(options.hostPath, { recursive: true, force: true });
    throw error;
  }
  const state: BundleState = { options, repo, branchRef, roots, base: options.baseCommit };
  return {
    workdir: options.workdir,
    hostPath: options.hostPath,
    user: options.user,
    mounts: [],
    populate: (capture, signal) => populate(state, capture, signal),
    commit: (capture, request) => commitWork(state, capture, request),
    exportResult: (capture, signal) => exportResult(state, capture, signal),
    moveTo: (capture, target, keep, signal) => moveTo(state, capture, target, keep, signal),
    release: async () => {
      await rm(options.hostPath, { recursive: true, force: true });
    },
  };
}
