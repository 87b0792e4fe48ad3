import type { DatabaseSync } from "node:sqlite";

/** One step of the schema. Versions are the 1-based position in `migrations`. */
export interface Migration {
  readonly name: string;
  readonly up: (db: DatabaseSync) => void;
  /** The step changes projection tables, so they are rebuilt from the event log afterwards. */
  readonly rebuildsProjections: boolean;
}

const eventLog = `
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at REAL NOT NULL
) STRICT;
CREATE TABLE events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at REAL NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE INDEX events_type ON events (run_id, type, seq);
`;

const projections = `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  request TEXT NOT NULL,
  repo TEXT NOT NULL,
  base_commit TEXT NOT NULL,
  target_branch TEXT NOT NULL,
  integration_branch TEXT NOT NULL,
  settings TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  head TEXT,
  started_at REAL NOT NULL,
  ended_at REAL,
  updated_at REAL NOT NULL
) STRICT;
CREATE TABLE tasks (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  acceptance TEXT NOT NULL,
  scope TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  priority INTEGER NOT NULL,
  size TEXT NOT NULL,
  composite INTEGER NOT NULL,
  context TEXT NOT NULL,
  branch TEXT NOT NULL,
  parent_id TEXT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  fingerprint TEXT,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL,
  PRIMARY KEY (run_id, task_id)
) STRICT;
CREATE INDEX tasks_state ON tasks (run_id, state);
CREATE TABLE attempts (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  model TEXT NOT NULL,
  harness TEXT NOT NULL,
  sandbox TEXT NOT NULL,
  base_commit TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  outcome TEXT,
  commit_sha TEXT,
  handoff TEXT,
  reason TEXT,
  accepted INTEGER,
  feedback TEXT,
  PRIMARY KEY (run_id, task_id, number)
) STRICT;
CREATE TABLE model_calls (
  run_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  role TEXT NOT NULL,
  task_id TEXT,
  model TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  ok INTEGER,
  error TEXT,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  duration_ms REAL,
  retries INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, call_id)
) STRICT;
CREATE TABLE tool_calls (
  run_id TEXT NOT NULL,
  call_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  tool TEXT NOT NULL,
  input TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  ok INTEGER,
  output TEXT,
  duration_ms REAL,
  PRIMARY KEY (run_id, call_id)
) STRICT;
CREATE INDEX tool_calls_task ON tool_calls (run_id, task_id, attempt);
CREATE TABLE merges (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  sha TEXT,
  previous TEXT,
  strategy TEXT,
  files TEXT NOT NULL,
  at REAL NOT NULL,
  reverted_by TEXT,
  revert_reason TEXT,
  PRIMARY KEY (run_id, seq, task_id)
) STRICT;
CREATE TABLE health_checks (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at REAL NOT NULL,
  commit_sha TEXT NOT NULL,
  green INTEGER NOT NULL,
  checks TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE TABLE fixes (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  culprit TEXT,
  at REAL NOT NULL,
  PRIMARY KEY (run_id, task_id)
) STRICT;
`;

/** Tables derived from the event log; `rebuildProjections` empties and refills exactly these. */
export const projectionTables = [
  "runs",
  "tasks",
  "attempts",
  "model_calls",
  "tool_calls",
  "merges",
  "health_checks",
  "fixes",
] as const;

/**
 * The schema, oldest first. Never edit a shipped step; append a new one. Version 1 is the event
 * log alone (the source of truth); version 2 adds the projections, which are filled by replaying
 * the log, so a file that only holds events gains complete tables when it is opened.
 */
export const migrations: readonly Migration[] = [
  { name: "event log", up: (db) => db.exec(eventLog), rebuildsProjections: false },
  { name: "projections", up: (db) => db.exec(projections), rebuildsProjections: true },
];
