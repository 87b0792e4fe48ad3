import { Box, Text } from "ink";
import type { DashboardView } from "../view.js";
import { Header } from "./header.js";
import { PlanTree } from "./plan-tree.js";
import { HealthPanel, LogTail, MergePanel, Throughput } from "./status-panels.js";
import { Workers } from "./workers.js";

export interface FrameProps {
  readonly view: DashboardView;
  readonly width: number;
  readonly height: number;
  readonly selected: string | null;
  readonly maxWorkers: number | null;
  readonly hint?: string;
}

/** The whole dashboard for one view: two columns from 120 columns up, stacked below. */
export function DashboardFrame({ view, width, height, selected, maxWorkers, hint }: FrameProps) {
  const wide = width >= 120;
  // Fixed rows: header 5, list borders and titles 3 each, merge and health 5, sparkline 1, log, hint 1.
  const listRows = Math.max(3, wide ? height - 23 : Math.floor((height - 25) / 2));
  const half = Math.floor(width / 2);
  return (
    <Box flexDirection="column" width={width}>
      <Header view={view} width={width} />
      {wide ? (
        <Box>
          <PlanTree view={view} width={half} rows={listRows} />
          <Workers
            view={view}
            width={width - half}
            rows={listRows}
            selected={selected}
            maxWorkers={maxWorkers}
          />
        </Box>
      ) : (
        <>
          <PlanTree view={view} width={width} rows={listRows} />
          <Workers view={view} width={width} rows={listRows} selected={selected} maxWorkers={maxWorkers} />
        </>
      )}
      <Box>
        <MergePanel view={view} width={wide ? half : Math.floor(width / 2)} />
        <HealthPanel view={view} width={wide ? width - half : width - Math.floor(width / 2)} />
      </Box>
      <Throughput view={view} width={width} />
      <LogTail view={view} width={width} rows={wide ? 6 : 4} />
      <Text dimColor>{hint ?? "p pause · ↑↓ select · c cancel task · +/- workers · q quit (drain)"}</Text>
    </Box>
  );
}
