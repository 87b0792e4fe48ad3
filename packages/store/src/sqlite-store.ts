import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  type Clock,
  InternalError,
  type LongshotEvent,
  messageOf,
  type NewEvent,
  parseEvent,
  type Role,
  type Task,
  UserError,
} from "@longshot/core";
import { migrate } from "./internal/migrate.js";
import { Projector } from "./internal/projector.js";
import { Queries } from "./internal/queries.js";
import { text } from "./internal/row.js";
import { transaction } from "./internal/transaction.js";
import { Wake } from "./internal/wake.js";
import type {
  CostRow,
  EventQuery,
  FixRecord,
  FollowOptions,
  HealthSweep,
  MergeRecord,
  RunSummary,
  Store,
  TaskDetail,
  TaskFilter,
  ToolCallRecord,
} from "./store.js";

export interface StoreOptions {
  /** Source of event timestamps. */
  readonly clock: Clock;
  /**
   * `normal` (default): with WAL, a committed event survives the process being killed at any
   * point (SIGKILL, crash) but an OS crash or power loss may drop the last few commits, because
   * the WAL is fsynced only at checkpoints. `full`: every commit is fsynced before `append`
   * returns, surviving power loss too, at the price of one fsync per event.
   */
  readonly synchronous?: "normal" | "full";
  /** How often `follow` looks for events written by other connections; default 100 ms. */
  readonly pollMs?: number;
  /** How long a writer waits for another connection's lock before failing; default 5 s. */
  readonly busyTimeoutMs?: number;
}

const eventsSql = `SELECT json FROM events WHERE run_id = ? AND seq > ?
  AND (? IS NULL OR type IN (SELECT value FROM json_each(?))) ORDER BY seq LIMIT ?`;

/**
 * The SQLite store: WAL journal, versioned migrations, an append-only `events` table and the
 * projections derived from it. One instance per connection; several connections (and processes)
 * may share a file.
 */
export class SqliteStore implements Store {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #projector: Projector;
  readonly #queries: Queries;
  readonly #wake = new Wake();
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  readonly #replay: StatementSync;

  /**
   * Opens (creating the file and its directory if needed) and migrates the database at `path`.
   * Throws UserError when the file is not a longshot database or was written by a newer version.
   */
  constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.#clock = options.clock;
    this.#pollMs = options.pollMs ?? 100;
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      this.#db.exec("PRAGMA journal_mode = WAL");
      this.#db.exec(`PRAGMA synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
      const { rebuild } = migrate(this.#db, path, this.#clock.now());
      this.#projector = new Projector(this.#db);
      this.#queries = new Queries(this.#db);
      this.#insert = this.#db.prepare(
        "INSERT INTO events (run_id, seq, type, at, json) VALUES (?, ?, ?, ?, ?)",
      );
      this.#select = this.#db.prepare(eventsSql);
      this.#replay = this.#db.prepare("SELECT json FROM events ORDER BY run_id, seq");
      if (rebuild) this.rebuildProjections();
    } catch (error) {
      this.#db.close();
      if (error instanceof UserError) throw error;
      if (/not a database|malformed/i.test(messageOf(error))) {
        throw new UserError(`${path} is not a longshot database; move it away and start again.`, {
          cause: error,
          fields: { path },
        });
      }
      throw error;
    }
  }

  append(runId: string, event: NewEvent): LongshotEvent {
    const [recorded] = this.appendBatch(runId, [event]);
    return recorded!;
  }

  appendBatch(runId: string, events: readonly NewEvent[]): LongshotEvent[] {
    if (events.length === 0) return [];
    const at = this.#clock.now();
    const recorded = transaction(this.#db, () => {
      let seq = this.#queries.lastSeq(runId);
      return events.map((event) => {
        seq += 1;
        const parsed = validate({ ...event, runId, seq, at });
        this.#insert.run(runId, seq, parsed.type, at, JSON.stringify(parsed));
        this.#projector.apply(parsed);
        return parsed;
      });
    });
    this.#wake.notify(runId);
    return recorded;
  }

  lastSeq(runId: string): number {
    return this.#queries.lastSeq(runId);
  }

  events(runId: string, query: EventQuery = {}): LongshotEvent[] {
    const types = query.types === undefined ? null : JSON.stringify(query.types);
    const rows = this.#select.all(runId, query.afterSeq ?? 0, types, types, query.limit ?? -1);
    return rows.map((row) => readEvent(text(row, "json")));
  }

  async *follow(
    runId: string,
    afterSeq: number,
    signal: AbortSignal,
    options: FollowOptions = {},
  ): AsyncGenerator<LongshotEvent> {
    const batch = 500;
    let cursor = afterSeq;
    while (!signal.aborted) {
      const events = this.events(runId, { afterSeq: cursor, limit: batch });
      for (const event of events) {
        if (signal.aborted) return;
        cursor = event.seq;
        yield event;
        if (options.untilRunEnd === true && event.type === "run-end") return;
      }
      if (events.length < batch) await this.#wake.wait(runId, this.#pollMs, signal);
    }
  }

  listRuns(): RunSummary[] {
    return this.#queries.listRuns();
  }

  getRun(runId: string): RunSummary | null {
    return this.#queries.getRun(runId);
  }

  listTasks(runId: string, filter?: TaskFilter): Task[] {
    return this.#queries.listTasks(runId, filter);
  }

  getTask(runId: string, taskId: string): TaskDetail | null {
    return this.#queries.getTask(runId, taskId);
  }

  toolCalls(runId: string, taskId: string, attempt?: number): ToolCallRecord[] {
    return this.#queries.toolCalls(runId, taskId, attempt);
  }

  costByRole(runId: string): CostRow<Role>[] {
    return this.#queries.costByRole(runId);
  }

  costByModel(runId: string): CostRow[] {
    return this.#queries.costByModel(runId);
  }

  merges(runId: string): MergeRecord[] {
    return this.#queries.merges(runId);
  }

  fixes(runId: string): FixRecord[] {
    return this.#queries.fixes(runId);
  }

  healthHistory(runId: string, options: { readonly limit?: number } = {}): HealthSweep[] {
    return this.#queries.healthHistory(runId, options.limit);
  }

  rebuildProjections(): void {
    transaction(this.#db, () => {
      this.#projector.clear();
      for (const row of this.#replay.iterate()) this.#projector.apply(readEvent(text(row, "json")));
    });
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function validate(value: unknown): LongshotEvent {
  try {
    return parseEvent(value);
  } catch (error) {
    throw new InternalError(`Refused to record an invalid event: ${messageOf(error)}`, { cause: error });
  }
}

function readEvent(json: string): LongshotEvent {
  try {
    return parseEvent(JSON.parse(json));
  } catch (error) {
    throw new InternalError(`A stored event is unreadable: ${messageOf(error)}`, { cause: error });
  }
}
