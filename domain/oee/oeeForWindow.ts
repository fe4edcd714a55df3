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
};

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

export const oeeForWindow = (totals: WindowTotals, idealCycleTimeS: number): OeeResult => {
  const plannedMs = totals.runMs + totals.downMs;
  const plannedS = plannedMs / 1000;
  const runS = totals.runMs / 1000;
  // A cumulative reject counter can move in a later window than the parts it rejects (inspection
  // after the hour turned), so a window may see more rejects than parts: it made no good parts then.
  const good = Math.max(0, totals.total - totals.reject);
  const performance = ratio(idealCycleTimeS * totals.total, runS);
  const gapGood = Math.max(0, totals.gapTotal - totals.gapReject);
  const warnings = [
    ...(performance !== null && performance > 1
      ? [
          `performance ${performance.toFixed(3)} is above 1: the machine made parts faster than the ideal cycle time ${idealCycleTimeS} s allows; check idealCycleTimeS`,
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
    oee: ratio(idealCycleTimeS * good, plannedS),
    downtimeByReason: Object.fromEntries(
      Object.entries(totals.downByReason)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([reason, ms]) => [reason, ms / 1000]),
    ),
    countsInGap: { total: totals.gapTotal, good: gapGood },
    warnings,
  };
};
