import { formatDuration } from "./format.js";

/** Maps times of a run onto an x range and gives readable ticks. */
export interface TimeAxis {
  readonly x: (at: number) => number;
  readonly ticks: readonly { readonly x: number; readonly label: string }[];
}

const steps = [
  100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
  1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000, 43_200_000, 86_400_000,
];

export function timeAxis(start: number, end: number, left: number, width: number, maxTicks = 10): TimeAxis {
  const span = Math.max(1, end - start);
  const x = (at: number) => left + (Math.min(Math.max(at, start), end) - start) * (width / span);
  const step = steps.find((candidate) => span / candidate <= maxTicks) ?? Math.ceil(span / maxTicks);
  const ticks: { x: number; label: string }[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    ticks.push({ x: x(start + offset), label: offset === 0 ? "0" : offsetLabel(offset, step) });
  }
  return { x, ticks };
}

function offsetLabel(offset: number, step: number): string {
  if (step < 1000) return `${(offset / 1000).toFixed(1)} s`;
  if (offset < 60_000) return `${Math.round(offset / 1000)} s`;
  return formatDuration(offset)
    .replace(/ 00s$/, "")
    .replace(/m 00s$/, "m");
}
