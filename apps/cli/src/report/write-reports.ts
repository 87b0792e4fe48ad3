import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "@longshot/store";
import { renderHtmlReport } from "./html-report.js";
import { renderMarkdownReport } from "./markdown-report.js";

/** Writes the run's Markdown and HTML reports next to its log; returns the Markdown. */
export function writeReports(store: Store, stateDir: string, runId: string): string {
  const dir = join(stateDir, "runs", runId);
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdownReport(store, runId);
  writeFileSync(join(dir, "report.md"), markdown);
  writeFileSync(join(dir, "report.html"), renderHtmlReport(store, runId));
  return markdown;
}
