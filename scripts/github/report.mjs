#!/usr/bin/env node
// Writes the run's Markdown and HTML reports and adds the Markdown to the job summary.
//
//   node scripts/github/report.mjs --repo <path> --out-dir <dir> [--run <id> | --run-file <dir>/run.json]
//
// Outputs: markdown and html (file paths). When `longshot report` fails, the summary still
// says how the run ended, and a warning names the failure.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { annotate, appendSummary, fail, runLongshot, setOutput, stepArgs } from "./lib.mjs";

const { values, repo, recorded } = stepArgs({
  "out-dir": { type: "string" },
  run: { type: "string" },
});
const runId = values.run || recorded.runId || "";
if (runId === "") fail("No run to report on; pass --run <id> or --run-file <run.json>.", 2);
const outDir = resolve(values["out-dir"] ?? join(repo, ".git", "longshot", "github"));
const markdown = join(outDir, "report.md");
const html = join(outDir, "report.html");

const markdownCode = await runLongshot(["report", runId, "--repo", repo, "--out", markdown], { cwd: repo });
const htmlCode = await runLongshot(["report", runId, "--repo", repo, "--html", "--out", html], { cwd: repo });
if (markdownCode !== 0 || !existsSync(markdown)) {
  annotate(
    "warning",
    `longshot report ${runId} failed (exit ${markdownCode}); the summary has only the run's status.`,
  );
  const status = recorded.status ? ` ended **${recorded.status}**` : "";
  writeFileSync(markdown, `## longshot run \`${runId}\`${status}\n\nThe full report could not be written.\n`);
}
if (htmlCode !== 0) annotate("warning", `longshot report ${runId} --html failed (exit ${htmlCode}).`);

appendSummary(readFileSync(markdown, "utf8"));
setOutput("markdown", markdown);
setOutput("html", existsSync(html) ? html : "");
