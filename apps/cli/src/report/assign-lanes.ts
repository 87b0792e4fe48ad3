/** A span of time, in milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * Packs intervals into as few lanes as possible, greedily by start time: each interval goes to
 * the lowest-numbered lane that is free when it starts (a lane is free again at the instant its
 * last interval ends). Concurrent intervals therefore never share a lane, and since an attempt
 * occupies a worker slot, the lanes read as worker slots. Returns the lane of each interval, in
 * input order, numbered from 0.
 */
export function assignLanes(intervals: readonly Interval[]): number[] {
  const order = intervals
    .map((interval, index) => ({ index, start: interval.start, end: Math.max(interval.start, interval.end) }))
    .sort((left, right) => left.start - right.start || left.end - right.end || left.index - right.index);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(intervals.length).fill(0);
  for (const item of order) {
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[lane] = item.end;
    }
    lanes[item.index] = lane;
  }
  return lanes;
}
