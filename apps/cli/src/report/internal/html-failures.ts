import { clip, formatDuration, oneLine, shortSha } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { transcriptId } from "./html-transcripts.js";
import { failingChecks, type ReportAttempt, type ReportData } from "./report-data.js";
import { countsText } from "./summary.js";

const maxRows = 200;

/**
 * What went wrong: checks failing at the end, tasks that never landed with their last reason,
 * and every attempt that did not land, each linking to its transcript when the report has it.
 */
export function failureSection(data: ReportData, transcriptIds: ReadonlySet<string>): SafeHtml {
  const checks = failingChecks(data);
  if (checks.length === 0 && data.failedTasks.length === 0 && data.failedAttempts.length === 0) {
    return html`<section id="failures"><h2>Failures</h2><p class="empty">Nothing failed.</p></section>`;
  }
  const link = (attempt: ReportAttempt | null): SafeHtml | null => {
    if (!attempt) return null;
    const id = transcriptId(attempt);
    return transcriptIds.has(id) ? html`<a href="#${id}">transcript</a>` : null;
  };
  const last = data.run.lastHealth;
  const checkList =
    last && checks.length > 0
      ? html`<h3>Failing checks at <code>${shortSha(last.commit)}</code></h3>${checks.map((check) => {
          const counts = countsText(check);
          return html`<div class="check bad"><p><strong>${check.name}</strong> failed after ${formatDuration(check.durationMs)}${counts ? ` (${counts})` : ""}: <code>${check.command}</code></p>${check.excerpt.trim() ? html`<pre>${clip(check.excerpt, 30, 3000)}</pre>` : null}</div>`;
        })}`
      : null;
  const taskRows = data.failedTasks
    .slice(0, maxRows)
    .map(
      ({ task, reason, lastAttempt }) =>
        html`<tr><td><code>${task.id}</code></td><td>${oneLine(task.title, 140)}</td><td>${task.state}</td><td class="num">${task.attempts}</td><td>${clip(reason, 4, 500)}</td><td>${link(lastAttempt)}</td></tr>`,
    );
  const tasks =
    data.failedTasks.length > 0
      ? html`<h3>Tasks that did not land (${data.failedTasks.length})</h3><table><thead><tr><th>Task</th><th>Title</th><th>State</th><th>Attempts</th><th>Last reason</th><th></th></tr></thead><tbody>${taskRows}</tbody></table>${more(data.failedTasks.length)}`
      : null;
  const attemptRows = data.failedAttempts
    .slice(0, maxRows)
    .map(
      (attempt) =>
        html`<tr><td><code>${attempt.task.id}</code></td><td class="num">${attempt.record.number}</td><td>${attempt.record.model}</td><td><span class="result ${attempt.result}">${attempt.result}</span></td><td>${clip(attempt.why ?? "", 4, 400)}</td><td>${link(attempt)}</td></tr>`,
    );
  const attempts =
    data.failedAttempts.length > 0
      ? html`<details ${data.failedAttempts.length <= 20 ? "open" : ""}><summary>Attempts that did not land (${data.failedAttempts.length})</summary><table><thead><tr><th>Task</th><th>#</th><th>Model</th><th>Result</th><th>Why</th><th></th></tr></thead><tbody>${attemptRows}</tbody></table>${more(data.failedAttempts.length)}</details>`
      : null;
  return html`<section id="failures"><h2>Failures</h2>${checkList}${tasks}${attempts}</section>`;
}

function more(count: number): SafeHtml | null {
  return count > maxRows ? html`<p class="note">… and ${count - maxRows} more.</p>` : null;
}
