export { Dashboard, type DashboardControls, type DashboardProps } from "./components/dashboard.js";
export { DashboardFrame, type FrameProps, keyHint } from "./components/dashboard-frame.js";
export { allPlanLines, type PlanWindow, planLines } from "./components/plan-tree.js";
export { describeEvent } from "./describe-event.js";
export { bar, fit, formatElapsed, formatTokens, sparkline } from "./format.js";
export { type FrameLayout, layoutFrame } from "./layout.js";
export {
  activity,
  type DashboardView,
  emptyView,
  type RetryNote,
  reduceView,
  type TaskRow,
  throughput,
  type WorkerRow,
} from "./view.js";
