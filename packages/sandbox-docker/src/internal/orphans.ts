import { readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { throwIfAborted } from "@longshot/core";
import { Git, type GitRunner } from "@longshot/git";
import type Docker from "dockerode";
import { labelKeys } from "./container-options.js";
import { worktreeAdminDir } from "./worktree-delivery.js";

/** Inputs of {@link reapOrphans}. */
export interface ReapOrphansOptions {
  readonly docker: Docker;
  /** Only containers labelled with this scope are considered. */
  readonly scope: string;
  /** Host directory holding one entry per sandbox id. */
  readonly workspaceRoot: string;
  readonly liveIds: readonly string[];
  readonly runner: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Removes what dead sandboxes of one scope left behind: their containers (found by label,
 * running or stopped) and their host directories (worktrees are unregistered from their
 * repository). Entries whose sandbox id is in `liveIds` are spared. Returns the removed ids.
 */
export async function reapOrphans(options: ReapOrphansOptions): Promise<string[]> {
  const live = new Set(options.liveIds);
  const removed = new Set<string>();
  const containers = await options.docker.listContainers({
    all: true,
    filters: { label: [`${labelKeys.scope}=${options.scope}`] },
  });
  for (const info of containers) {
    throwIfAborted(options.signal);
    const id = info.Labels[labelKeys.sandbox];
    if (id === undefined || live.has(id)) continue;
    await options.docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
    const repo = info.Labels[labelKeys.repo];
    const hostPath = info.Labels[labelKeys.hostPath];
    if (repo !== undefined && hostPath !== undefined) {
      await new Git(repo, { runner: options.runner }).removeWorktree(hostPath).catch(() => undefined);
    }
    removed.add(id);
  }
  const entries = await readdir(options.workspaceRoot, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    throwIfAborted(options.signal);
    if (!entry.isDirectory() || live.has(entry.name)) continue;
    const path = join(options.workspaceRoot, entry.name);
    // A worktree whose container never started (or was removed above): forget it in its repository.
    const admin = await worktreeAdminDir(path).catch(() => undefined);
    await rm(path, { recursive: true, force: true });
    if (admin !== undefined) {
      await new Git(dirname(dirname(admin)), { runner: options.runner })
        .pruneWorktrees()
        .catch(() => undefined);
    }
    removed.add(entry.name);
  }
  return [...removed];
}
