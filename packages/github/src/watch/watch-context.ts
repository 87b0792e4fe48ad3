import type { Clock, Logger } from "@longshot/core";
import type { RepoGit } from "./repo-git.js";
import type { ProposeGap, RunDriver, WatchSettings } from "./run-driver.js";
import { type LiveProgress, renderStatus, upsertStatus } from "./status-comment.js";
import type { WatchApi } from "./watch-api.js";
import type { IssueRecord, WatchJournal } from "./watch-journal.js";

/** Everything the watch loop's steps share for one repository. */
export interface WatchContext {
  /** `owner/name`. */
  readonly repository: string;
  readonly api: WatchApi;
  readonly journal: WatchJournal;
  readonly runs: RunDriver;
  readonly git: RepoGit;
  readonly settings: WatchSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly gap: ProposeGap | null;
  /** The status comment body last written per issue (edits are skipped when nothing changed). */
  readonly statusCache: Map<number, string>;
}

/**
 * Writes the issue's status comment when its text changed, and records a new comment's id.
 * A failure to write it is logged, never fatal: the status is a courtesy, the journal is the truth.
 */
export async function showStatus(
  context: WatchContext,
  record: IssueRecord,
  live: LiveProgress | null,
  signal: AbortSignal,
): Promise<void> {
  const body = renderStatus(record, live);
  if (context.statusCache.get(record.number) === body && record.statusCommentId !== null) return;
  try {
    const id = await upsertStatus(context.api, record, body, signal);
    context.statusCache.set(record.number, body);
    if (id !== record.statusCommentId) {
      const current = context.journal.get(record.number) ?? record;
      context.journal.put({ ...current, statusCommentId: id });
      record.statusCommentId = id;
    }
  } catch (error) {
    if (signal.aborted) throw error;
    context.logger.warn({ issue: record.number, error: String(error) }, "status comment not written");
  }
}
