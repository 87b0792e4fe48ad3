import type { AttemptResult } from "./report-data.js";

/** Bar colours by attempt result: green landed, amber/orange sent back, red failed, grey cancelled. */
export const resultColors: Readonly<Record<AttemptResult, string>> = {
  landed: "#2da44e",
  complete: "#4ac26b",
  unfinished: "#54aeff",
  partial: "#bf8700",
  rejected: "#d4a72c",
  conflict: "#e16f24",
  failed: "#cf222e",
  blocked: "#a40e26",
  timeout: "#cf222e",
  stuck: "#cf222e",
  budget: "#8250df",
  cancelled: "#8c959f",
};
