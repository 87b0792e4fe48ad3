import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { systemClock, UserError } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import type { Output } from "../output.js";
import { renderHtmlReport, renderMarkdownReport, renderRunDetail, renderRunList } from "../report/index.js";
import { databaseOf } from "../run-context.js";

function openStore(repoArg: string): SqliteStore {
  const repo = resolve(repoArg);
  const path = databaseOf(repo);
  if (!existsSync(path)) {
    throw new UserError(
      `${repo} has no longshot runs yet (no ${path}); start one with longshot "<request>" or pass --repo.`,
    );
  }
  return new SqliteStore(path, { clock: systemClock });
}

function requireRun(store: SqliteStore, runId: string): void {
  if (store.getRun(runId) === null) {
    throw new UserError(`There is no run ${runId} in this repository; longshot runs lists them.`);
  }
}

/** `longshot runs`: every run of the repository, newest first. */
export function runsCommand(repo: string, output: Output, json: boolean): number {
  const store = openStore(repo);
  try {
    if (json) for (const run of store.listRuns()) output.out(JSON.stringify(run));
    else output.out(renderRunList(store));
    return 0;
  } finally {
    store.close();
  }
}

/** `longshot show <run>`: tasks, attempts, merges and costs. */
export function showCommand(repo: string, runId: string, output: Output, json: boolean): number {
  const store = openStore(repo);
  try {
    requireRun(store, runId);
    if (json) {
      output.out(
        JSON.stringify({
          run: store.getRun(runId),
          tasks: store.listTasks(runId),
          costByRole: store.costByRole(runId),
        }),
      );
    } else {
      output.out(renderRunDetail(store, runId));
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `longshot report <run> [--html] [--out FILE]`. */
export function reportCommand(
  repo: string,
  runId: string,
  output: Output,
  options: { html: boolean; out?: string },
): number {
  const store = openStore(repo);
  try {
    requireRun(store, runId);
    const text = options.html ? renderHtmlReport(store, runId) : renderMarkdownReport(store, runId);
    if (options.out) {
      writeFileSync(options.out, text);
      output.err(`wrote ${options.out}`);
    } else {
      output.out(text);
    }
    return 0;
  } finally {
    store.close();
  }
}
