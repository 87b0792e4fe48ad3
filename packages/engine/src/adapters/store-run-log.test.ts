import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { afterEach, describe, expect, it } from "vitest";
import { StoreRunLog } from "./store-run-log.js";

describe("StoreRunLog", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the whole run, or only what came after a sequence number, from the store itself", () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-run-log-"));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, "longshot.db"), { clock: systemClock });
    try {
      const log = new StoreRunLog(store, "r-log");
      const other = new StoreRunLog(store, "r-other");
      const seqs = ["one", "two", "three"].map(
        (message) => log.append({ type: "log", level: "info", message }).seq,
      );
      other.append({ type: "log", level: "info", message: "elsewhere" });
      expect(log.read().map((event) => event.seq)).toEqual(seqs);
      expect(log.read(seqs[0]).map((event) => event.seq)).toEqual(seqs.slice(1));
      expect(log.read(seqs[2])).toEqual([]);
    } finally {
      store.close();
    }
  });
});
