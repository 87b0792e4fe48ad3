import { formatDuration, oneLine } from "./format.js";
import { anchorId, html, type SafeHtml } from "./html.js";
import type { AttemptResult, ReportAttempt, ReportData } from "./report-data.js";
import { resultColors } from "./result-colors.js";
import { timeAxis } from "./time-axis.js";

export const chartWidth = 1000;
export const chartLeft = 70;
export const plotWidth = chartWidth - chartLeft - 28;
const axisHeight = 22;

/** Lane height shrinks as lanes multiply so a hundred worker slots still fit on a screen. */
function laneHeight(lanes: number): number {
  if (lanes <= 12) return 22;
  if (lanes <= 30) return 14;
  if (lanes <= 60) return 9;
  return 6;
}

/**
 * The task timeline: one row per worker lane, one bar per attempt from its start to its end,
 * coloured by result, with the attempt in the bar's hover title. Attempts that did not land
 * link to their transcript when it is in the report.
 */
export function ganttChart(data: ReportData, transcriptIds: ReadonlySet<string>): SafeHtml {
  if (data.attempts.length === 0) return html`<p class="empty">No attempts ran.</p>`;
  const lanes = Math.max(1, data.laneCount);
  const lane = laneHeight(lanes);
  const height = axisHeight + lanes * lane + 4;
  const axis = timeAxis(data.timeline.start, data.timeline.end, chartLeft, plotWidth);
  const labelEvery = Math.max(1, Math.ceil(12 / lane));
  const laneLabels = Array.from({ length: lanes }, (_, index) =>
    index % labelEvery === 0
      ? html`<text class="lane" x="${chartLeft - 6}" y="${axisHeight + index * lane + lane / 2 + 4}">slot ${index + 1}</text>`
      : null,
  );
  const grid = axis.ticks.map(
    (tick) =>
      html`<line class="grid" x1="${tick.x}" x2="${tick.x}" y1="${axisHeight - 4}" y2="${height}"/><text class="tick" x="${tick.x}" y="12">${tick.label}</text>`,
  );
  const bars = data.attempts.map((attempt) => bar(attempt, axis.x, lane, transcriptIds));
  const used = new Set(data.attempts.map((attempt) => attempt.result));
  return html`<svg class="chart gantt" viewBox="0 0 ${chartWidth} ${height}" role="img" aria-label="Attempts by worker lane over time">${grid}${laneLabels}${bars}</svg>${legend(used)}`;
}

function bar(
  attempt: ReportAttempt,
  x: (at: number) => number,
  lane: number,
  transcriptIds: ReadonlySet<string>,
): SafeHtml {
  const left = x(attempt.start);
  const width = Math.max(1.5, x(attempt.end) - left);
  const top = axisHeight + attempt.lane * lane + 1;
  const barHeight = Math.max(3, lane - 2);
  const { task, record } = attempt;
  const title = [
    `${task.id} attempt ${record.number}: ${attempt.result}`,
    oneLine(task.title, 160),
    `${record.model} · ${record.harness} · ${record.sandbox} · ${formatDuration(attempt.end - attempt.start)}`,
    ...(attempt.why ? [oneLine(attempt.why, 160)] : []),
  ].join("\n");
  const label =
    width >= 44 && lane >= 14
      ? html`<text class="bar-label" x="${left + 4}" y="${top + barHeight / 2 + 4}">${task.id}</text>`
      : null;
  const rect = html`<rect x="${left}" y="${top}" width="${width}" height="${barHeight}" rx="2" fill="${resultColors[attempt.result]}" data-task="${task.id}" data-attempt="${record.number}" data-lane="${attempt.lane}" data-start="${attempt.start}" data-end="${attempt.end}"><title>${title}</title></rect>`;
  const id = anchorId("attempt", task.id, record.number);
  return transcriptIds.has(id) ? html`<a href="#${id}">${rect}${label}</a>` : html`${rect}${label}`;
}

function legend(used: ReadonlySet<AttemptResult>): SafeHtml {
  const items = (Object.keys(resultColors) as AttemptResult[])
    .filter((result) => used.has(result))
    .map(
      (result) =>
        html`<span class="key"><span class="swatch" style="background:${resultColors[result]}"></span>${result}</span>`,
    );
  return html`<p class="legend">${items}</p>`;
}
