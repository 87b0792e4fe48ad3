import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws. IMMEDIATE takes the
 * write lock up front, so two processes never both read the same "next sequence number".
 */
export function transaction<T>(db: DatabaseSync, body: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = body();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
