// OEE of one window (docs/replay-summary.md). Planned production time = window − planned stops − time outside
// shifts − data gaps; run time = planned − unplanned stops (micro-stops count as run time).
//   Availability = run / planned;  Performance = ideal cycle × total / run;  Quality = good / total;
//   OEE = A × P × Q = ideal cycle × good / planned.
// A ratio with a zero denominator is null, never NaN. Performance is not clamped: above 1 means the
// configured ideal cycle time is too slow, reported as a warning. Parts counted while data was missing
// (countsInGap) are not in A·P·Q; they are reported beside them, and so is any other reason a ratio
// reads above 1: every window whose availability, quality or OEE exceeds 1 carries a warning saying why.
import type { WindowTotals } from './windowTotals.ts';

export type OeeResult = {
  readonly plannedS: number;
  readonly runS: number;
  readonly downS: number;
  readonly dataGapS: number;
  readonly total: number;
  readonly good: number;
  readonly availability: number | null;
  readonly performance: number | null;
  readonly quality: number | null;
  readonly oee: number | null;
  readonly downtimeByReason: Readonly<Record<string, number>>;
  /** Parts made while the machine's data was missing: counted, but not in A·P·Q. */
  readonly countsInGap: { readonly total: number; readonly good: number };
  readonly warnings: readonly string[];
  /** The parts made during jobs, per product (absent when no job ran in the window). */
  readonly byProduct?: Readonly<Record<string, { readonly total: number; readonly good: number }>>;
};

/** A ratio with a zero denominator is null, never NaN. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

/**
 * The ideal time of a window's parts (Σ ideal cycle × parts, of all and of the good ones), when some
 * were made during jobs; undefined when none were (then ideal cycle × parts, as without products).
 * A product the catalog no longer gives this machine is weighed by the machine's own ideal cycle time.
 */
export const idealTimeS = (
  totals: Pick<WindowTotals, 'total' | 'reject' | 'byProduct'>,
  idealCycleTimeS: number,
  productCycleTimesS: Readonly<Record<string, number>> = {},
): { readonly totalS: number; readonly goodS: number } | undefined => {
  if (totals.byProduct === undefined) return undefined;
  let totalS = 0;
  let goodS = 0;
  let restTotal = totals.total;
  let restReject = totals.reject;
  for (const product of Object.keys(totals.byProduct).sort()) {
    const counts = totals.byProduct[product]!;
    const cycle = Object.prototype.hasOwnProperty.call(productCycleTimesS, product)
      ? productCycleTimesS[product]!
      : idealCycleTimeS;
    totalS += cycle * counts.total;
    goodS += cycle * (counts.total - counts.reject);
    restTotal -= counts.total;
    restReject -= counts.reject;
  }
  // Rejects can come in a later window than their parts (see oeeForWindow): only the window's ideal
  // time of good parts as a whole is kept at 0 or more, as its good count is, so a machine whose
  // products share one ideal cycle time gets ideal cycle × good exactly.
  return {
    totalS: totalS + idealCycleTimeS * restTotal,
    goodS: Math.max(0, goodS + idealCycleTimeS * (restTotal - restReject)),
  };
};

/**
 * `productCycleTimesS`: the ideal cycle time of each product (the catalog's, for this machine); parts made
 * during a job are weighed by their product's, the others by the machine's `idealCycleTimeS`.
 */
export const oeeForWindow = (
  totals: WindowTotals,
  idealCycleTimeS: number,
  productCycleTimesS?: Readonly<Record<string, number>>,
): OeeResult => {
  const plannedMs = totals.runMs + totals.downMs;
  const plannedS = plannedMs / 1000;
  const runS = totals.runMs / 1000;
  // A cumulative reject counter can move in a later window than the parts it rejects (inspection
  // after the hour turned), so a window may see more rejects than parts: it made no good parts then.
  const good = Math.max(0, totals.total - totals.reject);
  const ideal = idealTimeS(totals, idealCycleTimeS, productCycleTimesS);
  const performance = ratio(ideal?.totalS ?? idealCycleTimeS * totals.total, runS);
  const gapGood = Math.max(0, totals.gapTotal - totals.gapReject);
  const warnings = [
    ...(performance !== null && performance > 1
      ? [
          ideal === undefined
            ? `performance ${performance.toFixed(3)} is above 1: the machine made parts faster than the ideal cycle time ${idealCycleTimeS} s allows; check idealCycleTimeS`
            : `performance ${performance.toFixed(3)} is above 1: the machine made parts faster than the ideal cycle times of ${Object.keys(
                totals.byProduct ?? {},
              ).join(', ')} allow; check products[].idealCycleTimeS`,
        ]
      : []),
    ...(totals.total > 0 && totals.runMs === 0
      ? [
          `${totals.total} parts counted with no run time: the machine's state said it was not running; check its state messages`,
        ]
      : []),
    ...(totals.gapTotal > 0
      ? [
          `${totals.gapTotal} parts (${gapGood} good) were counted during data gaps: they are not in availability, performance, quality or OEE`,
        ]
      : []),
  ];
  return {
    plannedS,
    runS,
    downS: totals.downMs / 1000,
    dataGapS: totals.dataGapMs / 1000,
    total: totals.total,
    good,
    availability: ratio(totals.runMs, plannedMs),
    performance,
    quality: ratio(good, totals.total),
    oee: ratio(ideal?.goodS ?? idealCycleTimeS * good, plannedS),
    downtimeByReason: Object.fromEntries(
      Object.entries(totals.downByReason)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([reason, ms]) => [reason, ms / 1000]),
    ),
    countsInGap: { total: totals.gapTotal, good: gapGood },
    warnings,
    ...(totals.byProduct === undefined
      ? {}
      : {
          byProduct: Object.fromEntries(
            Object.keys(totals.byProduct)
              .sort()
              .map((product) => {
                const counts = totals.byProduct![product]!;
                return [product, { total: counts.total, good: Math.max(0, counts.total - counts.reject) }];
              }),
          ),
        }),
  };
};
