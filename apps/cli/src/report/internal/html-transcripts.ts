import type { ToolCallRecord } from "@longshot/store";
import type { ReportStore } from "../report-store.js";
import { clip, formatDuration, oneLine } from "./format.js";
import { anchorId, html, type SafeHtml } from "./html.js";
import type { ReportAttempt, ReportData } from "./report-data.js";

export interface TranscriptLimits {
  /** Steps kept per transcript: the first few and the last ones, where a failure shows. */
  readonly steps: number;
  /** Characters kept of each tool input, tool output or agent message. */
  readonly chars: number;
  /** Characters of recorded text per transcript, roughly. */
  readonly budget: number;
}

type Step =
  | { readonly kind: "tool"; readonly at: number; readonly call: ToolCallRecord }
  | { readonly kind: "text"; readonly at: number; readonly text: string };

/**
 * Which attempts get a transcript: those that did not land, the attempts of tasks that never
 * landed first, up to the limit.
 */
export function transcriptAttempts(data: ReportData, limit: number): ReportAttempt[] {
  const unlanded = new Set(data.failedTasks.map((failed) => failed.task.id));
  const ranked = [...data.failedAttempts].sort(
    (left, right) =>
      Number(unlanded.has(right.task.id)) - Number(unlanded.has(left.task.id)) || right.start - left.start,
  );
  return ranked.slice(0, limit).sort((left, right) => left.start - right.start);
}

export function transcriptId(attempt: ReportAttempt): string {
  return anchorId("attempt", attempt.task.id, attempt.record.number);
}

/** Each chosen attempt's tool calls and agent messages, collapsed, each under its own anchor. */
export function transcripts(
  store: ReportStore,
  data: ReportData,
  chosen: readonly ReportAttempt[],
  limits: TranscriptLimits,
): SafeHtml {
  if (chosen.length === 0) return html``;
  const wanted = new Set(chosen.map((attempt) => `${attempt.task.id}#${attempt.record.number}`));
  const texts = new Map<string, Step[]>();
  for (const event of store.events(data.run.runId, { types: ["agent-text"] })) {
    if (event.type !== "agent-text") continue;
    const key = `${event.taskId}#${event.attempt}`;
    if (!wanted.has(key)) continue;
    const list = texts.get(key) ?? [];
    list.push({ kind: "text", at: event.at, text: event.text });
    texts.set(key, list);
  }
  const items = chosen.map((attempt) => {
    const key = `${attempt.task.id}#${attempt.record.number}`;
    const calls: Step[] = store
      .toolCalls(data.run.runId, attempt.task.id, attempt.record.number)
      .map((call) => ({ kind: "tool", at: call.startedAt, call }));
    const steps = [...calls, ...(texts.get(key) ?? [])].sort((left, right) => left.at - right.at);
    return transcript(attempt, steps, limits);
  });
  const omitted = data.failedAttempts.length - chosen.length;
  const note =
    omitted > 0
      ? html`<p class="note">${omitted} more attempts did not land; their transcripts are left out to keep this file small (<code>longshot show ${data.run.runId}</code> lists them).</p>`
      : null;
  return html`<section id="transcripts"><h2>Transcripts of attempts that did not land</h2>${note}${items}</section>`;
}

function transcript(attempt: ReportAttempt, steps: readonly Step[], limits: TranscriptLimits): SafeHtml {
  const { task, record } = attempt;
  const head = Math.min(5, Math.floor(limits.steps / 4));
  const skipped = Math.max(0, steps.length - limits.steps);
  const kept: (Step | null)[] =
    skipped > 0
      ? [...steps.slice(0, head), null, ...steps.slice(steps.length - (limits.steps - head))]
      : [...steps];
  // The last steps usually show why the attempt failed: they keep `chars` each; earlier steps
  // share what is left of the transcript's budget.
  const full = 3;
  const earlier = Math.max(1, kept.length - full);
  const share = Math.max(120, Math.floor((limits.budget - full * limits.chars) / earlier));
  const list = kept.map((step, index) => {
    const chars = index >= kept.length - full ? limits.chars : Math.min(limits.chars, share);
    if (step === null) return html`<li class="gap">… ${skipped} steps left out …</li>`;
    if (step.kind === "text") return html`<li class="text"><pre>${clip(step.text, 60, chars)}</pre></li>`;
    const { call } = step;
    const status = call.ok === null ? "no result" : call.ok ? "ok" : "error";
    const input = clip(call.input, 20, Math.min(600, chars));
    const output =
      call.output === null ? null : html`<pre class="output">${clip(call.output, 40, chars)}</pre>`;
    return html`<li class="tool ${status === "error" ? "bad" : ""}"><span class="tool-name">${call.tool}</span> <span class="step-status">${status}</span> <span class="muted">${call.durationMs === null ? "" : formatDuration(call.durationMs)}</span><pre class="input">${input}</pre>${output}</li>`;
  });
  const handoff = record.handoff
    ? html`<p><strong>Handoff (${record.handoff.status}):</strong> ${clip(record.handoff.summary, 10, limits.chars)}</p>`
    : null;
  return html`<details class="transcript" id="${transcriptId(attempt)}"><summary><code>${task.id}</code> attempt ${record.number} · ${record.model} · <span class="result ${attempt.result}">${attempt.result}</span> · ${oneLine(task.title, 120)}</summary><p class="why">${attempt.why ?? ""}</p>${handoff}${steps.length === 0 ? html`<p class="empty">No tool calls or messages were recorded.</p>` : html`<ol class="steps">${list}</ol>`}</details>`;
}
