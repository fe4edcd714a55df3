// What one OEE window has accumulated: time by category (milliseconds, integers, so sums are exact)
// and production counts. Ratios are derived from it, never stored.

export type WindowTotals = {
  readonly runMs: number;
  /** Unplanned stops (DOWN, SETUP, IDLE) at least as long as the micro-stop threshold. */
  readonly downMs: number;
  /** Unplanned stops shorter than the threshold: counted as run time, so they show as performance loss. */
  readonly microStopMs: number;
  readonly plannedStopMs: number;
  /** Scheduled time with no trustworthy data (before the first state, after a heartbeat timeout). */
  readonly dataGapMs: number;
  readonly downByReason: Readonly<Record<string, number>>;
  readonly total: number;
  readonly reject: number;
  /**
   * The share of counter deltas that falls in data gaps (a delta is spread evenly over the time since
   * the previous counts reading): parts made while data was missing, kept out of A·P·Q.
   */
  readonly gapTotal: number;
  readonly gapReject: number;
  /**
   * The parts of `total` and `reject` made while a job of each product ran (a `job` message): the window's
   * performance weighs each product's ideal cycle time by them. Absent when no job ran.
   */
  readonly byProduct?: Readonly<Record<string, ProductCounts>>;
};

export type ProductCounts = { readonly total: number; readonly reject: number };

export const emptyTotals: WindowTotals = {
  runMs: 0,
  downMs: 0,
  microStopMs: 0,
  plannedStopMs: 0,
  dataGapMs: 0,
  downByReason: {},
  total: 0,
  reject: 0,
  gapTotal: 0,
  gapReject: 0,
};

export type TimeCategory =
  | { readonly kind: 'run' }
  | { readonly kind: 'microStop' }
  | { readonly kind: 'down'; readonly reason: string }
  | { readonly kind: 'plannedStop' }
  | { readonly kind: 'dataGap' };

/** `totals` with some fields changed: every field by name, as a spread of these was a visible share of the fold's profile. */
const totalsWith = (totals: WindowTotals, change: Partial<WindowTotals>): WindowTotals => {
  const byProduct = change.byProduct ?? totals.byProduct;
  const out: WindowTotals = {
    runMs: change.runMs ?? totals.runMs,
    downMs: change.downMs ?? totals.downMs,
    microStopMs: change.microStopMs ?? totals.microStopMs,
    plannedStopMs: change.plannedStopMs ?? totals.plannedStopMs,
    dataGapMs: change.dataGapMs ?? totals.dataGapMs,
    downByReason: change.downByReason ?? totals.downByReason,
    total: change.total ?? totals.total,
    reject: change.reject ?? totals.reject,
    gapTotal: change.gapTotal ?? totals.gapTotal,
    gapReject: change.gapReject ?? totals.gapReject,
  };
  return byProduct === undefined ? out : { ...out, byProduct };
};

export const addTime = (totals: WindowTotals, category: TimeCategory, ms: number): WindowTotals => {
  switch (category.kind) {
    case 'run':
      return totalsWith(totals, { runMs: totals.runMs + ms });
    case 'microStop':
      return totalsWith(totals, { runMs: totals.runMs + ms, microStopMs: totals.microStopMs + ms });
    case 'down':
      return totalsWith(totals, {
        downMs: totals.downMs + ms,
        downByReason: { ...totals.downByReason, [category.reason]: (totals.downByReason[category.reason] ?? 0) + ms },
      });
    case 'plannedStop':
      return totalsWith(totals, { plannedStopMs: totals.plannedStopMs + ms });
    case 'dataGap':
      return totalsWith(totals, { dataGapMs: totals.dataGapMs + ms });
  }
};

/** Parts made; `product`: the product of the job running when they were made, if any. */
export const addCounts = (totals: WindowTotals, total: number, reject: number, product?: string): WindowTotals => {
  if (product === undefined) return totalsWith(totals, { total: totals.total + total, reject: totals.reject + reject });
  const before = totals.byProduct?.[product];
  return totalsWith(totals, {
    total: totals.total + total,
    reject: totals.reject + reject,
    byProduct: {
      ...totals.byProduct,
      [product]: { total: (before?.total ?? 0) + total, reject: (before?.reject ?? 0) + reject },
    },
  });
};

export const addGapCounts = (totals: WindowTotals, total: number, reject: number): WindowTotals =>
  totalsWith(totals, { gapTotal: totals.gapTotal + total, gapReject: totals.gapReject + reject });

/** Two windows' totals as one (a day from its hours). */
export const sumTotals = (a: WindowTotals, b: WindowTotals): WindowTotals => {
  const downByReason: Record<string, number> = { ...a.downByReason };
  for (const [reason, ms] of Object.entries(b.downByReason)) downByReason[reason] = (downByReason[reason] ?? 0) + ms;
  const sum: WindowTotals = {
    runMs: a.runMs + b.runMs,
    downMs: a.downMs + b.downMs,
    microStopMs: a.microStopMs + b.microStopMs,
    plannedStopMs: a.plannedStopMs + b.plannedStopMs,
    dataGapMs: a.dataGapMs + b.dataGapMs,
    downByReason,
    total: a.total + b.total,
    reject: a.reject + b.reject,
    gapTotal: a.gapTotal + b.gapTotal,
    gapReject: a.gapReject + b.gapReject,
  };
  if (a.byProduct === undefined && b.byProduct === undefined) return sum;
  const byProduct: Record<string, ProductCounts> = { ...a.byProduct };
  for (const [product, counts] of Object.entries(b.byProduct ?? {})) {
    const before = byProduct[product];
    byProduct[product] = { total: (before?.total ?? 0) + counts.total, reject: (before?.reject ?? 0) + counts.reject };
  }
  return { ...sum, byProduct };
};
