import { DatabaseSync } from "node:sqlite";
import { type Clock, InternalError, messageOf } from "@longshot/core";
import { z } from "zod";

/** One run the watch loop started for an issue: its first build or a review follow-up. */
export const WatchRunSchema = z.object({
  runId: z.string(),
  purpose: z.enum(["build", "review"]),
  /** Ids of the review items (`review-<id>`, `comment-<id>`) a follow-up addresses. */
  feedback: z.array(z.string()).default([]),
  /** The run's spending cap (the issue's and the day's budget left when it started). */
  capUsd: z.number().nullable().default(null),
  startedAt: z.number(),
  endedAt: z.number().nullable().default(null),
  /** The run's final status, null while it is unfinished. */
  status: z.string().nullable().default(null),
  costUsd: z.number().default(0),
  /** The pull request branch's head before the run (the range a reply describes). */
  before: z.string().nullable().default(null),
  /** The commit pushed to the pull request branch, once pushed. */
  pushed: z.string().nullable().default(null),
  /** True once everything after the run (push, pull request, comments) is done. */
  published: z.boolean().default(false),
  /** Why the run or its publication failed, if it did. */
  problem: z.string().nullable().default(null),
});
export type WatchRun = z.infer<typeof WatchRunSchema>;

/** Everything the watch loop knows about one issue, kept across restarts. */
export const IssueRecordSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().default(""),
  url: z.string(),
  /** The pull request branch (`longshot/issue-<n>`). */
  branch: z.string(),
  phase: z.enum(["building", "open", "merged", "closed", "failed"]),
  pull: z.number().int().nullable().default(null),
  pullUrl: z.string().nullable().default(null),
  statusCommentId: z.number().int().nullable().default(null),
  runs: z.array(WatchRunSchema).default([]),
  handledFeedback: z.array(z.string()).default([]),
  /** The newest `/longshot retry` comment already acted on. */
  retryCommentId: z.number().int().nullable().default(null),
  /** After the merge: capabilities updated, gap analysis done, issues it filed. */
  merged: z
    .object({ capabilities: z.boolean(), gap: z.boolean(), filed: z.array(z.number().int()) })
    .nullable()
    .default(null),
  /** Last thing the status comment said that is not a run (waiting for budget, killed). */
  note: z.string().default(""),
});
export type IssueRecord = z.infer<typeof IssueRecordSchema>;

/** The record of an issue the watch loop has just taken up: building, nothing done yet. */
export function newIssueRecord(issue: {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
}): IssueRecord {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    url: issue.url,
    branch: `longshot/issue-${issue.number}`,
    phase: "building",
    pull: null,
    pullUrl: null,
    statusCommentId: null,
    runs: [],
    handledFeedback: [],
    retryCommentId: null,
    merged: null,
    note: "Queued.",
  };
}

/** Durable state of the watch loop for one repository. */
export interface WatchJournal {
  get(number: number): IssueRecord | null;
  /** Every record, by issue number. */
  all(): IssueRecord[];
  /** Replaces the record of `record.number`; durable when it returns. */
  put(record: IssueRecord): void;
  close(): void;
}

const schema = `CREATE TABLE IF NOT EXISTS github_watch_issues (
  repository TEXT NOT NULL,
  number INTEGER NOT NULL,
  json TEXT NOT NULL,
  updated_at REAL NOT NULL,
  PRIMARY KEY (repository, number)
) STRICT`;

/**
 * The watch journal in the repository's run store (`.git/longshot/longshot.db`), in a table of
 * its own beside the run log: one JSON record per issue, validated on every read, written in
 * one statement (WAL), so a record survives the process being killed right after `put`.
 */
export class SqliteWatchJournal implements WatchJournal {
  readonly #db: DatabaseSync;
  readonly #repository: string;
  readonly #clock: Clock;

  /** Opens (creating the table if needed) the journal of `repository` (`owner/name`) at `path`. */
  constructor(path: string, repository: string, clock: Clock) {
    this.#db = new DatabaseSync(path, { timeout: 5000 });
    this.#repository = repository;
    this.#clock = clock;
    try {
      this.#db.exec("PRAGMA journal_mode = WAL");
      this.#db.exec(schema);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  get(number: number): IssueRecord | null {
    const row = this.#db
      .prepare("SELECT json FROM github_watch_issues WHERE repository = ? AND number = ?")
      .get(this.#repository, number);
    return row === undefined ? null : this.#parse(row.json);
  }

  all(): IssueRecord[] {
    return this.#db
      .prepare("SELECT json FROM github_watch_issues WHERE repository = ? ORDER BY number")
      .all(this.#repository)
      .map((row) => this.#parse(row.json));
  }

  put(record: IssueRecord): void {
    const valid = IssueRecordSchema.parse(record);
    this.#db
      .prepare(
        "INSERT INTO github_watch_issues (repository, number, json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (repository, number) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
      )
      .run(this.#repository, valid.number, JSON.stringify(valid), this.#clock.now());
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #parse(json: unknown): IssueRecord {
    try {
      return IssueRecordSchema.parse(JSON.parse(String(json)));
    } catch (error) {
      throw new InternalError(
        `A stored watch record of ${this.#repository} is unreadable: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
}
