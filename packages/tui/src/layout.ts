/** How many rows each part of the dashboard gets on a terminal of a given size. */
export interface FrameLayout {
  /** Plan and workers side by side (wide terminals) or stacked. */
  readonly wide: boolean;
  /** Content rows of the plan list (its "more" lines included). */
  readonly planRows: number;
  /** Content rows of the workers list. */
  readonly workerRows: number;
  readonly logRows: number;
  readonly throughput: boolean;
  /** The second line of the merge and health panels (last conflict, model retries). */
  readonly detailLines: boolean;
  /** Rows the whole frame takes; always less than the terminal's height. */
  readonly totalRows: number;
}

/** The header: a bordered box of three lines. */
export const headerRows = 5;
const hintRows = 1;
/** A bordered list: two borders and a title. */
const listChrome = 3;

/**
 * Fits the frame into `height` rows, one less than the terminal so the terminal never scrolls
 * (which would push the header off the top). The header and the key hint are always there; the
 * log, the throughput line and the panels' second lines give way first, then the lists shrink
 * down to two rows each.
 */
export function layoutFrame(width: number, height: number): FrameLayout {
  const wide = width >= 120;
  const budget = Math.max(18, height) - 1;
  const lists = wide ? listChrome : 2 * listChrome;
  const fixed = headerRows + hintRows + lists;
  const detailLines = budget - fixed - 3 >= 22;
  const statusRows = detailLines ? 4 : 3;
  const available = budget - fixed - statusRows;
  const throughput = available >= 10;
  const logRows = Math.max(0, Math.min(6, Math.floor(available / 4)));
  const listSpace = Math.max(wide ? 2 : 4, available - logRows - (throughput ? 1 : 0));
  const planRows = wide ? listSpace : Math.ceil(listSpace / 2);
  const workerRows = wide ? listSpace : listSpace - planRows;
  const totalRows =
    fixed + statusRows + (throughput ? 1 : 0) + logRows + (wide ? planRows : planRows + workerRows);
  return { wide, planRows, workerRows, logRows, throughput, detailLines, totalRows };
}
