export { assignLanes, type Interval } from "./assign-lanes.js";
export { type HtmlReportOptions, renderHtmlReport } from "./html-report.js";
export { type MarkdownReportOptions, renderMarkdownReport } from "./markdown-report.js";
export type { ReportStore } from "./report-store.js";
export { type RunDetailOptions, renderRunDetail } from "./run-detail.js";
export { type RunListOptions, renderRunList } from "./run-list.js";
export { writeReports } from "./write-reports.js";
