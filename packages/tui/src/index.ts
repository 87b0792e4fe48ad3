export { Dashboard, type DashboardControls, type DashboardProps } from "./components/dashboard.js";
export { DashboardFrame, type FrameProps } from "./components/dashboard-frame.js";
export { planLines } from "./components/plan-tree.js";
export { bar, fit, formatElapsed, formatTokens, sparkline } from "./format.js";
export {
  type DashboardView,
  describeEvent,
  emptyView,
  reduceView,
  type TaskRow,
  throughput,
  type WorkerRow,
} from "./view.js";
