/**
 * Samples the memory of one swarm run's orchestrator, for a closer look than the suite's peak
 * RSS (not part of the suite). Loaded before the run:
 *
 *   LONGSHOT_MEMORY_SAMPLES=/tmp/memory.ndjson node --max-semi-space-size=16 \
 *     --import ./src/memory-sampler.ts src/swarm-run.ts '<SwarmConfig as JSON>' /tmp/result.json
 *
 * Every second (`LONGSHOT_MEMORY_INTERVAL_MS`) it appends one JSON line: `process.memoryUsage()`,
 * the kernel's resident anonymous and file-backed memory, each V8 heap space's used and committed
 * size, and the garbage collections so far by kind, all in MB (times in ms). With
 * `LONGSHOT_MEMORY_SNAPSHOT_MB`, it also writes one heap snapshot beside the samples when the
 * resident memory first passes that size (writing it stops the process for seconds and
 * collects garbage first: it shows what is live, not what awaits collection). Does nothing
 * without `LONGSHOT_MEMORY_SAMPLES`.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";

const output = process.env.LONGSHOT_MEMORY_SAMPLES;
const mb = (bytes: number): number => Math.round((bytes / 1_048_576) * 10) / 10;

/** `VmRSS`, `RssAnon`, `RssFile` of /proc/self/status, in MB. */
function resident(): { vmRss: number; anon: number; file: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const field = (name: string): number =>
    mb(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024);
  return { vmRss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile") };
}

if (output !== undefined) {
  const kinds = new Map<number, string>([
    [constants.NODE_PERFORMANCE_GC_MINOR, "minor"],
    [constants.NODE_PERFORMANCE_GC_MAJOR, "major"],
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL, "incremental"],
    [constants.NODE_PERFORMANCE_GC_WEAKCB, "weakcb"],
  ]);
  const collections: Record<string, { count: number; ms: number }> = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = kinds.get(detail?.kind ?? -1) ?? "other";
      const total = collections[kind] ?? { count: 0, ms: 0 };
      collections[kind] = total;
      total.count += 1;
      total.ms += Math.round(entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  const snapshotMb = Number(process.env.LONGSHOT_MEMORY_SNAPSHOT_MB ?? "0");
  let snapshotTaken = false;
  const started = performance.now();
  const timer = setInterval(
    () => {
      const usage = process.memoryUsage();
      const spaces: Record<string, { used: number; committed: number }> = {};
      for (const space of getHeapSpaceStatistics()) {
        if (space.space_size > 0)
          spaces[space.space_name] = { used: mb(space.space_used_size), committed: mb(space.space_size) };
      }
      const kernel = resident();
      const sample = {
        seconds: Math.round((performance.now() - started) / 100) / 10,
        rss: mb(usage.rss),
        heapTotal: mb(usage.heapTotal),
        heapUsed: mb(usage.heapUsed),
        external: mb(usage.external),
        arrayBuffers: mb(usage.arrayBuffers),
        ...kernel,
        spaces,
        collections,
      };
      appendFileSync(output, `${JSON.stringify(sample)}\n`);
      if (snapshotMb > 0 && !snapshotTaken && kernel.vmRss >= snapshotMb) {
        snapshotTaken = true;
        const file = writeHeapSnapshot(
          join(dirname(output), `orchestrator-${Math.round(kernel.vmRss)}mb.heapsnapshot`),
        );
        appendFileSync(output, `${JSON.stringify({ snapshot: file })}\n`);
      }
    },
    Number(process.env.LONGSHOT_MEMORY_INTERVAL_MS ?? "1000"),
  );
  timer.unref();
}
