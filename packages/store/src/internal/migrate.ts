import type { DatabaseSync } from "node:sqlite";
import { UserError } from "@longshot/core";
import { type Migration, migrations } from "./migrations.js";
import { num } from "./row.js";
import { transaction } from "./transaction.js";

/**
 * Brings the file at `path` to the newest schema, one transaction per step, and reports whether
 * the projections must be rebuilt from the log. A file written by a newer longshot is refused.
 */
export function migrate(
  db: DatabaseSync,
  path: string,
  now: number,
  steps: readonly Migration[] = migrations,
): { from: number; to: number; rebuild: boolean } {
  const from = userVersion(db);
  if (from > steps.length) {
    throw new UserError(
      `The database ${path} was written by a newer longshot (schema ${from}, this one knows ${steps.length}); upgrade longshot or open another repository.`,
      { fields: { path, version: from, known: steps.length } },
    );
  }
  let rebuild = false;
  for (let version = from + 1; version <= steps.length; version += 1) {
    const step = steps[version - 1]!;
    transaction(db, () => {
      step.up(db);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        version,
        step.name,
        now,
      );
      db.exec(`PRAGMA user_version = ${version}`);
    });
    rebuild ||= step.rebuildsProjections;
  }
  return { from, to: steps.length, rebuild: rebuild && from > 0 };
}

function userVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get();
  return row === undefined ? 0 : num(row, "user_version");
}
