import { Box, Text } from "ink";
import { layoutFrame } from "../layout.js";
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
  /** Replaces the key hint: what the run is doing or waiting for (a drain's countdown). */
  readonly hint?: string;
  /** Lines the plan is scrolled down by. */
  readonly planOffset?: number;
}

export const keyHint = "p pause · ↑↓ select · [ ] scroll plan · c cancel · +/- workers · q drain";

/**
 * The whole dashboard for one view, sized by {@link layoutFrame} to stay below the terminal's
 * height: two columns from 120 columns up, stacked below.
 */
export function DashboardFrame({ view, width, height, selected, maxWorkers, hint, planOffset }: FrameProps) {
  const layout = layoutFrame(width, height);
  const half = Math.floor(width / 2);
  const plan = (
    <PlanTree
      view={view}
      width={layout.wide ? half : width}
      rows={layout.planRows}
      offset={planOffset ?? 0}
    />
  );
  const workers = (
    <Workers
      view={view}
      width={layout.wide ? width - half : width}
      rows={layout.wide ? layout.planRows : layout.workerRows}
      selected={selected}
      maxWorkers={maxWorkers}
    />
  );
  return (
    <Box flexDirection="column" width={width} height={layout.totalRows}>
      <Header view={view} width={width} />
      {layout.wide ? (
        <Box>
          {plan}
          {workers}
        </Box>
      ) : (
        <>
          {plan}
          {workers}
        </>
      )}
      <Box>
        <MergePanel view={view} width={half} detail={layout.detailLines} />
        <HealthPanel view={view} width={width - half} detail={layout.detailLines} />
      </Box>
      {layout.throughput ? <Throughput view={view} width={width} /> : null}
      <LogTail view={view} width={width} rows={layout.logRows} />
      <Box height={1}>
        {hint === undefined ? (
          <Text dimColor wrap="truncate">
            {keyHint}
          </Text>
        ) : (
          <Text color="yellow" wrap="truncate">
            {hint}
          </Text>
        )}
      </Box>
    </Box>
  );
}
