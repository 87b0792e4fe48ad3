import type { ReportStore } from "../report-store.js";
import { mdCode, mdDetails, mdText } from "./markdown.js";

const maxNotes = 30;

/**
 * The report's "Critics" section: each critic report (round, critic, findings, the tasks it
 * planned) and the notes of findings below the threshold. Empty when no critic ran.
 */
export function criticSection(store: ReportStore, runId: string): string {
  const reports = store
    .events(runId, { types: ["critic-report"] })
    .flatMap((event) => (event.type === "critic-report" ? [event] : []));
  if (reports.length === 0) return "";
  const lines = ["### Critics", ""];
  for (const report of reports) {
    const planned = report.taskIds.length > 0 ? `; planned ${report.taskIds.map(mdCode).join(", ")}` : "";
    lines.push(
      `- Round ${report.round}, ${mdText(report.critic)} (${mdCode(report.taskId)}): ${report.findings.length} finding(s)${planned}`,
    );
  }
  const notes = reports.flatMap((report) =>
    report.notes.map((note) => `- ${mdText(report.critic)}: ${mdText(note)}`),
  );
  if (notes.length > 0) {
    const shown = notes.slice(0, maxNotes);
    if (notes.length > maxNotes) shown.push(`- … and ${notes.length - maxNotes} more`);
    lines.push("", mdDetails(`Notes below the threshold (${notes.length})`, shown.join("\n")));
  }
  return lines.join("\n");
}
