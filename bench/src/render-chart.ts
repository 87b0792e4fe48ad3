import type { Figure } from "./figure.ts";

/** One swarm run on the chart: when its tasks landed, and when they would have in the ideal. */
export interface ChartCurve {
  readonly label: string;
  readonly landedS: readonly number[];
  readonly idealS: readonly number[];
}

export interface ChartInput {
  readonly title: string;
  readonly subtitle: string;
  readonly curves: readonly ChartCurve[];
  readonly figures: readonly Figure[];
}

const width = 980;
const palette = ["#1f6feb", "#d2691e", "#2e8b57", "#8a2be2", "#b8860b"];
const pass = "#2da44e";
const miss = "#cf222e";
const grey = "#8c959f";

/** Text content safe for SVG. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function text(x: number, y: number, content: string, attributes = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ""}>${escapeXml(content)}</text>`;
}

/** A round step for axis ticks: 1, 2 or 5 times a power of ten, about `count` ticks. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((candidate) => candidate * power >= raw) ?? 10;
  return factor * power;
}

/** Cumulative count against time, as a staircase polyline's points. */
function staircase(
  times: readonly number[],
  x: (value: number) => number,
  y: (value: number) => number,
): string {
  const sorted = [...times].sort((a, b) => a - b);
  const points = [`${x(0).toFixed(1)},${y(0).toFixed(1)}`];
  sorted.forEach((time, index) => {
    points.push(
      `${x(time).toFixed(1)},${y(index).toFixed(1)}`,
      `${x(time).toFixed(1)},${y(index + 1).toFixed(1)}`,
    );
  });
  return points.join(" ");
}

function curvesPanel(curves: readonly ChartCurve[], top: number): { svg: string[]; height: number } {
  const height = 300;
  const left = 70;
  const right = width - 250;
  const plotTop = top + 30;
  const plotBottom = top + height - 40;
  const all = curves.flatMap((curve) => [...curve.landedS, ...curve.idealS]);
  const maxTime = Math.max(1, ...all);
  const maxCount = Math.max(1, ...curves.map((curve) => Math.max(curve.landedS.length, curve.idealS.length)));
  const x = (value: number) => left + (value / maxTime) * (right - left);
  const y = (value: number) => plotBottom - (value / maxCount) * (plotBottom - plotTop);
  const svg = [
    text(left, top + 16, "Tasks landed over time (solid) against the ideal schedule (dashed)", 'class="h"'),
  ];
  const timeStep = niceStep(maxTime, 8);
  for (let tick = 0; tick <= maxTime + 1e-9; tick += timeStep) {
    svg.push(
      `<line x1="${x(tick).toFixed(1)}" y1="${plotTop}" x2="${x(tick).toFixed(1)}" y2="${plotBottom}" class="grid"/>`,
    );
    svg.push(text(x(tick), plotBottom + 16, `${Math.round(tick)} s`, 'text-anchor="middle" class="small"'));
  }
  const countStep = niceStep(maxCount, 5);
  for (let tick = 0; tick <= maxCount + 1e-9; tick += countStep) {
    svg.push(
      `<line x1="${left}" y1="${y(tick).toFixed(1)}" x2="${right}" y2="${y(tick).toFixed(1)}" class="grid"/>`,
    );
    svg.push(text(left - 6, y(tick) + 4, String(Math.round(tick)), 'text-anchor="end" class="small"'));
  }
  svg.push(
    `<rect x="${left}" y="${plotTop}" width="${right - left}" height="${plotBottom - plotTop}" class="frame"/>`,
  );
  curves.forEach((curve, index) => {
    const color = palette[index % palette.length]!;
    svg.push(
      `<polyline points="${staircase(curve.idealS, x, y)}" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    );
    svg.push(
      `<polyline points="${staircase(curve.landedS, x, y)}" fill="none" stroke="${color}" stroke-width="2"/>`,
    );
    const legendY = plotTop + 10 + index * 20;
    svg.push(
      `<line x1="${right + 16}" y1="${legendY}" x2="${right + 36}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`,
    );
    svg.push(text(right + 42, legendY + 4, curve.label, 'class="small"'));
  });
  if (curves.length === 0) svg.push(text(left + 10, plotTop + 20, "no swarm run measured", 'class="small"'));
  return { svg, height };
}

/** The number without its parenthesised context, so the scorecard stays inside the picture. */
export function shortDisplay(display: string): string {
  const cut = display.indexOf(" (");
  const short = cut < 0 ? display : display.slice(0, cut);
  return short.length > 48 ? `${short.slice(0, 47)}…` : short;
}

/** How far a figure is from its goal, as a factor where 1 is the goal and more is better. */
export function attainment(figure: Figure): number | null {
  if (figure.goal === null || figure.value === null || !(figure.value > 0)) return null;
  const { comparison, target } = figure.goal;
  return comparison === ">=" ? figure.value / target : target / figure.value;
}

function scorecardPanel(figures: readonly Figure[], top: number): { svg: string[]; height: number } {
  const rows = figures.filter((figure) => figure.goal !== null);
  const rowHeight = 24;
  const labelRight = 380;
  const barLeft = 390;
  const barRight = 650;
  const center = (barLeft + barRight) / 2;
  const scale = (factor: number) => {
    const clamped = Math.min(10, Math.max(0.1, factor));
    return center + Math.log10(clamped) * ((barRight - barLeft) / 2);
  };
  const svg = [
    text(
      20,
      top + 16,
      "Each goal: bar right of the line = met (log scale, 0.1× to 10× of the goal)",
      'class="h"',
    ),
  ];
  const first = top + 34;
  svg.push(
    `<line x1="${center}" y1="${first - 6}" x2="${center}" y2="${first + rows.length * rowHeight}" stroke="#57606a" stroke-width="1"/>`,
  );
  rows.forEach((figure, index) => {
    const rowY = first + index * rowHeight;
    svg.push(
      text(labelRight, rowY + 12, `${figure.section}: ${figure.name}`, 'text-anchor="end" class="small"'),
    );
    const factor = attainment(figure);
    const color = figure.verdict === "PASS" ? pass : figure.verdict === "MISS" ? miss : grey;
    if (factor !== null) {
      const end = scale(factor);
      const from = Math.min(center, end);
      svg.push(
        `<rect x="${from.toFixed(1)}" y="${rowY + 2}" width="${Math.max(1, Math.abs(end - center)).toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`,
      );
    }
    const verdict = `${figure.verdict}  ${shortDisplay(figure.display)}  (goal ${figure.goal?.text ?? ""})`;
    svg.push(text(barRight + 12, rowY + 12, verdict, `class="small" fill="${color}"`));
  });
  return { svg, height: 50 + rows.length * rowHeight };
}

/** The benchmark chart as a standalone SVG document. */
export function renderChart(input: ChartInput): string {
  const header = [text(20, 28, input.title, 'class="title"'), text(20, 48, input.subtitle, 'class="small"')];
  const curves = curvesPanel(input.curves, 60);
  const scorecard = scorecardPanel(input.figures, 60 + curves.height);
  const height = 60 + curves.height + scorecard.height + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    "<style>.title{font-size:18px;font-weight:600}.h{font-size:14px;font-weight:600}.small{font-size:11px}.grid{stroke:#eaeef2;stroke-width:1}.frame{fill:none;stroke:#d0d7de}</style>",
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...header,
    ...curves.svg,
    ...scorecard.svg,
    "</svg>",
    "",
  ].join("\n");
}
