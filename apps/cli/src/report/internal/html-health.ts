import { clip, formatDuration, shortSha } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { chartLeft, chartWidth, plotWidth } from "./html-gantt.js";
import type { ReportData } from "./report-data.js";
import { countsText } from "./summary.js";
import { timeAxis } from "./time-axis.js";

const rowHeight = 18;
const axisHeight = 18;

/**
 * Health over time: a strip per check (and one for the whole sweep), each sweep's result held
 * until the next sweep, green or red; grey where a check did not run in that sweep.
 */
export function healthStrip(data: ReportData): SafeHtml {
  const sweeps = data.health;
  if (sweeps.length === 0) return html`<p class="empty">No health check ran.</p>`;
  const names = [...new Set(sweeps.flatMap((sweep) => sweep.checks.map((check) => check.name)))];
  const axis = timeAxis(data.timeline.start, data.timeline.end, chartLeft, plotWidth);
  const rows = ["all checks", ...names];
  const height = axisHeight + rows.length * rowHeight + 2;
  const labels = rows.map(
    (name, index) =>
      html`<text class="lane" x="${chartLeft - 6}" y="${axisHeight + index * rowHeight + 13}">${name}</text>`,
  );
  const cells = sweeps.map((sweep, index) => {
    const left = axis.x(sweep.at);
    const right = axis.x(sweeps[index + 1]?.at ?? data.timeline.end);
    const width = Math.max(1.5, right - left);
    const overall = html`<rect class="${sweep.green ? "ok" : "bad"}" x="${left}" y="${axisHeight + 1}" width="${width}" height="${rowHeight - 3}"><title>${sweep.green ? "green" : "red"} at ${shortSha(sweep.commit)}</title></rect>`;
    const checks = names.map((name, row) => {
      const check = sweep.checks.find((item) => item.name === name);
      const y = axisHeight + (row + 1) * rowHeight + 1;
      if (!check)
        return html`<rect class="skipped" x="${left}" y="${y}" width="${width}" height="${rowHeight - 3}"><title>${name} did not run at ${shortSha(sweep.commit)}</title></rect>`;
      const counts = countsText(check);
      const excerpt = check.ok || !check.excerpt.trim() ? "" : `\n${clip(check.excerpt, 6, 400)}`;
      const title = `${name} ${check.ok ? "passed" : "failed"} at ${shortSha(sweep.commit)} in ${formatDuration(check.durationMs)}${counts ? ` (${counts})` : ""}${excerpt}`;
      return html`<rect class="${check.ok ? "ok" : "bad"}" x="${left}" y="${y}" width="${width}" height="${rowHeight - 3}"><title>${title}</title></rect>`;
    });
    return html`${overall}${checks}`;
  });
  const ticks = axis.ticks.map((tick) => html`<text class="tick" x="${tick.x}" y="12">${tick.label}</text>`);
  const red = sweeps.filter((sweep) => !sweep.green).length;
  return html`<svg class="chart health" viewBox="0 0 ${chartWidth} ${height}" role="img" aria-label="Health checks over time">${ticks}${labels}${cells}</svg><p class="legend">${sweeps.length} sweeps, ${red} red, ${data.fixes.length} fix tasks created.</p>`;
}
