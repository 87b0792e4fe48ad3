import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { messageOf, systemClock, UserError } from "@longshot/core";
import { activeRunLock, SqliteStore, withInterruptedRuns } from "@longshot/store";
import { type CliContext, requireRunArgument } from "../cli-context.js";
import type { Output } from "../output.js";
import { renderRunList } from "../report/run-list.js";
import { resolveRunId } from "../run-ids.js";
import { databaseOf, stateDirOf } from "../state-paths.js";

type Renderers = Pick<
  typeof import("../report/index.js"),
  "renderHtmlReport" | "renderMarkdownReport" | "renderRunDetail"
>;

/**
 * The repository's store, or null when it has no runs yet. An unfinished run that no live
 * process holds the run lock for reads as interrupted (see `withInterruptedRuns`).
 */
export function openStoreIfAny(repoArg: string): SqliteStore | null {
  const repo = resolve(repoArg);
  const path = databaseOf(repo);
  if (!existsSync(path)) return null;
  const live = () => activeRunLock(stateDirOf(repo))?.runId ?? null;
  return withInterruptedRuns(new SqliteStore(path, { clock: systemClock }), live);
}

function openStore(repoArg: string): SqliteStore {
  const store = openStoreIfAny(repoArg);
  if (store === null) {
    const repo = resolve(repoArg);
    throw new UserError(
      `${repo} has no longshot runs yet (no ${databaseOf(repo)}); start one with longshot "<request>" or pass --repo.`,
    );
  }
  return store;
}

/** `runs`, `show` and `report`, with the run given as an id, a unique prefix, or `latest`. */
export async function inspectCommand(name: "runs" | "show" | "report", context: CliContext): Promise<number> {
  const { repo, output, flags } = context;
  if (name === "runs") return runsCommand(repo, output, flags.bool.json);
  const runArgument = requireRunArgument(context, name);
  // The renderers of one run load only for show and report, so `runs` starts faster.
  const reports = await import("../report/index.js");
  if (name === "show") return showCommand(reports, repo, runArgument, output, flags.bool.json);
  return reportCommand(reports, repo, runArgument, output, {
    html: flags.bool.html,
    ...(flags.text.out === undefined ? {} : { out: flags.text.out }),
  });
}

/** `longshot runs`: every run of the repository, newest first; `--json` prints one array. */
export function runsCommand(repo: string, output: Output, json: boolean): number {
  const store = openStoreIfAny(repo);
  if (store === null) {
    output.out(json ? "[]" : `No runs in ${resolve(repo)} yet; start one with longshot "<request>".`);
    return 0;
  }
  try {
    if (json) output.out(JSON.stringify(store.listRuns()));
    else output.out(renderRunList(store));
    return 0;
  } finally {
    store.close();
  }
}

/** `longshot show <run>`: tasks, attempts, merges and costs. */
export function showCommand(
  reports: Renderers,
  repo: string,
  runArgument: string,
  output: Output,
  json: boolean,
): number {
  const store = openStore(repo);
  try {
    const runId = resolveRunId(store, runArgument);
    if (json) {
      output.out(
        JSON.stringify({
          run: store.getRun(runId),
          tasks: store.listTasks(runId),
          costByRole: store.costByRole(runId),
        }),
      );
    } else {
      output.out(reports.renderRunDetail(store, runId));
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `longshot report <run> [--html] [--out FILE]`. */
export function reportCommand(
  reports: Renderers,
  repo: string,
  runArgument: string,
  output: Output,
  options: { html: boolean; out?: string },
): number {
  const store = openStore(repo);
  try {
    const runId = resolveRunId(store, runArgument);
    const text = options.html
      ? reports.renderHtmlReport(store, runId)
      : reports.renderMarkdownReport(store, runId);
    if (options.out) {
      try {
        writeFileSync(options.out, text);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (code === "ENOSPC") throw error;
        throw new UserError(
          `Cannot write the report to ${options.out} (${messageOf(error)}); --out takes the path of a file in a folder that exists.`,
        );
      }
      output.err(`wrote ${options.out}`);
    } else {
      output.out(text);
    }
    return 0;
  } finally {
    store.close();
  }
}
