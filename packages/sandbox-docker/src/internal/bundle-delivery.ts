import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Git, type GitRunner } from "@longshot/git";
import { SandboxError, startTaskBranch } from "@longshot/sandbox";
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

/**
 * Delivers the repository as a git bundle: the task branch is (re)started at the base commit in
 * the orchestrator's repository (a retry reuses the branch of the earlier attempt), bundled, uploaded through the engine and cloned inside the
 * container; commits are made inside the container, and export bundles `base..branch` there,
 * downloads it and fetches it into the orchestrator's repository. The container never sees the
 * host's disk or any git remote.
 */
export async function prepareBundle(options: BundleDeliveryOptions): Promise<Delivery> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const repo = new Git(options.repoPath, { runner: options.runner });
  await mkdir(options.hostPath, { recursive: false });
  const branchRef = `refs/heads/${options.branch}`;
  try {
    await startTaskBranch(repo, options.branch, options.baseCommit, options.signal);
    await repo.bundleCreate(join(options.hostPath, "in.bundle"), [branchRef], signal);
  } catch (error) {
    await rm(options.hostPath, { recursive: true, force: true });
    throw error;
  }
  const inside = (capture: CaptureCommand): Git =>
    new Git(options.workdir, { runner: new ContainerGitRunner(capture, options.env) });
  const check = (result: { exitCode: number | null; stderr: Buffer }, what: string): void => {
    if (result.exitCode !== 0) {
      throw new SandboxError(
        "create-failed",
        `Could not ${what} inside the container: ${result.stderr.toString().trim()}`,
      );
    }
  };

  return {
    workdir: options.workdir,
    hostPath: options.hostPath,
    user: options.user,
    mounts: [],
    populate: async (capture, populateSignal) => {
      const bytes = await readFile(join(options.hostPath, "in.bundle"));
      const sig = populateSignal === undefined ? {} : { signal: populateSignal };
      check(
        await capture({ argv: ["/bin/sh", "-c", 'cat >"$0"', inboundBundle], stdin: bytes, ...sig }),
        "upload the bundle",
      );
      const clone =
        'git clone --quiet --branch "$2" "$0" "$1" && git -C "$1" remote remove origin && rm -f "$0"';
      check(
        await capture({
          argv: ["/bin/sh", "-c", clone, inboundBundle, options.workdir, options.branch],
          env: options.env,
          ...sig,
        }),
        "clone the bundle",
      );
    },
    commit: async (capture, commit) => {
      try {
        return await inside(capture).commitAll(
          commit.message,
          commit.author,
          commit.signal ? { signal: commit.signal } : {},
        );
      } catch (error) {
        if (error instanceof SandboxError || commit.signal?.aborted) throw error;
        throw new SandboxError("commit-failed", `Could not commit the work of branch ${options.branch}.`, {
          cause: error,
        });
      }
    },
    exportResult: async (capture, exportSignal) => {
      const sig = exportSignal === undefined ? {} : { signal: exportSignal };
      const head = await inside(capture).revParse(branchRef, sig);
      if (head === null)
        throw new SandboxError("export-failed", `Branch ${options.branch} is missing inside the sandbox.`);
      if (head !== (await repo.revParse(branchRef, sig))) {
        await inside(capture).bundleCreate(outboundBundle, [`^${options.baseCommit}`, branchRef], sig);
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
    },
    release: async () => {
      await rm(options.hostPath, { recursive: true, force: true });
    },
  };
}
