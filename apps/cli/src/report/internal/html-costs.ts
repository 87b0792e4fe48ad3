import type { CostRow } from "@longshot/store";
import { formatTokens, formatUsd } from "./format.js";
import { html, type SafeHtml } from "./html.js";

const width = 480;
const labelWidth = 90;
const valueWidth = 150;
const rowHeight = 24;

/** Horizontal bars of spend and of tokens (prompt and completion stacked) per role. */
export function costCharts(rows: readonly CostRow[]): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">No model calls were recorded.</p>`;
  const maxCost = Math.max(...rows.map((row) => row.costUsd));
  const maxTokens = Math.max(...rows.map((row) => row.usage.promptTokens + row.usage.completionTokens));
  const costNote =
    maxCost === 0 ? html`<p class="note">No spend was recorded (the endpoints report no prices).</p>` : null;
  return html`<div class="pair"><figure><figcaption>Cost (USD)</figcaption>${bars(
    rows.map((row) => ({
      label: row.key,
      parts: [{ value: row.costUsd, className: "cost" }],
      text: `${formatUsd(row.costUsd)} · ${row.calls} calls`,
    })),
    maxCost,
  )}${costNote}</figure><figure><figcaption>Tokens <span class="key"><span class="swatch prompt"></span>prompt</span> <span class="key"><span class="swatch completion"></span>completion</span></figcaption>${bars(
    rows.map((row) => ({
      label: row.key,
      parts: [
        { value: row.usage.promptTokens, className: "prompt" },
        { value: row.usage.completionTokens, className: "completion" },
      ],
      text: `${formatTokens(row.usage.promptTokens + row.usage.completionTokens)} (${formatTokens(row.usage.cachedTokens)} cached)`,
    })),
    maxTokens,
  )}</figure></div>`;
}

interface BarRow {
  readonly label: string;
  readonly parts: readonly { readonly value: number; readonly className: string }[];
  readonly text: string;
}

function bars(rows: readonly BarRow[], max: number): SafeHtml {
  const plot = width - labelWidth - valueWidth - 10;
  const scale = max > 0 ? plot / max : 0;
  const items = rows.map((row, index) => {
    const y = index * rowHeight;
    let x = labelWidth;
    const segments = row.parts.map((part) => {
      const segment = html`<rect class="${part.className}" x="${x}" y="${y + 4}" width="${Math.max(0, part.value * scale)}" height="${rowHeight - 8}"><title>${row.label}: ${row.text}</title></rect>`;
      x += part.value * scale;
      return segment;
    });
    return html`<text class="label" x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}">${row.label}</text>${segments}<text class="value" x="${x + 6}" y="${y + rowHeight / 2 + 4}">${row.text}</text>`;
  });
  return html`<svg class="chart bars" viewBox="0 0 ${width} ${rows.length * rowHeight}" role="img">${items}</svg>`;
}
