import type { MergeRecord } from "@longshot/store";
import { shortSha } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { chartLeft, chartWidth, plotWidth } from "./html-gantt.js";
import type { ReportData } from "./report-data.js";
import { resultColors } from "./result-colors.js";
import { timeAxis } from "./time-axis.js";

const height = 90;
const top = 8;
const bottom = 70;

/**
 * Merge outcomes over the run on the timeline's time scale: the count of landed merges as a
 * rising line, conflicts and other refusals as orange marks, reverted merges as red crosses.
 */
export function mergeChart(data: ReportData): SafeHtml {
  const { merges } = data;
  if (merges.length === 0) return html`<p class="empty">Nothing reached the merge queue.</p>`;
  const axis = timeAxis(data.timeline.start, data.timeline.end, chartLeft, plotWidth);
  const landed = merges.filter((merge) => merge.outcome === "landed");
  const y = (count: number) => bottom - (count / Math.max(1, landed.length)) * (bottom - top);
  let points = `${axis.x(data.timeline.start)},${bottom}`;
  landed.forEach((merge, index) => {
    const x = axis.x(merge.at);
    points += ` ${x},${y(index)} ${x},${y(index + 1)}`;
  });
  points += ` ${axis.x(data.timeline.end)},${y(landed.length)}`;
  const marks = merges
    .filter((merge) => merge.outcome !== "landed" || merge.revertedBy)
    .map((merge) => mark(merge, axis.x(merge.at)));
  const ticks = axis.ticks.map(
    (tick) =>
      html`<line class="grid" x1="${tick.x}" x2="${tick.x}" y1="${top}" y2="${bottom}"/><text class="tick" x="${tick.x}" y="${height - 6}">${tick.label}</text>`,
  );
  const counts = data.run.merges;
  return html`<svg class="chart merges" viewBox="0 0 ${chartWidth} ${height}" role="img" aria-label="Merge outcomes over time">${ticks}<text class="lane" x="${chartLeft - 6}" y="${top + 8}">${landed.length}</text><text class="lane" x="${chartLeft - 6}" y="${bottom}">0</text><polyline class="landed-line" points="${points}"/>${marks}</svg><p class="legend"><span class="key"><span class="swatch" style="background:${resultColors.landed}"></span>${counts.landed} landed</span><span class="key"><span class="swatch" style="background:${resultColors.conflict}"></span>${counts.conflicts} conflicts</span><span class="key"><span class="swatch" style="background:${resultColors.failed}"></span>${counts.reverted} reverted</span></p>`;
}

function mark(merge: MergeRecord, x: number): SafeHtml {
  if (merge.revertedBy) {
    const title = `${merge.taskId} attempt ${merge.attempt}: landed as ${shortSha(merge.sha)}, reverted by ${shortSha(merge.revertedBy)}${merge.revertReason ? `: ${merge.revertReason}` : ""}`;
    return html`<path class="revert" d="M${x - 4},${bottom - 12} l8,8 m0,-8 l-8,8"><title>${title}</title></path>`;
  }
  const files = merge.files.length > 0 ? ` in ${merge.files.join(", ")}` : "";
  const title = `${merge.taskId} attempt ${merge.attempt}: ${merge.outcome}${files}`;
  return html`<circle class="conflict" cx="${x}" cy="${bottom - 4}" r="4"><title>${title}</title></circle>`;
}
