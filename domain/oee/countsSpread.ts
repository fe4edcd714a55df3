// Where a counter delta belongs in time. A counts reading says how many parts were made since the
// previous one, not when: the delta is spread evenly over that interval, so parts made across an hour
// or shift boundary are split between the windows, and the share that falls in a data gap (the
// machine's state was unknown then) is reported apart instead of inflating A·P·Q.
import { nextHourStart, plannedIntervalsOf, type ProductionCalendar } from './calendar.ts';

/** A stretch with no trustworthy data, [fromMs, toMs). */
export type GapInterval = readonly [fromMs: number, toMs: number];

/** Parts booked to the windows of `atMs` (the start of the piece of time they were made in). */
export type CountsPiece = {
  readonly atMs: number;
  readonly inGap: boolean;
  readonly total: number;
  readonly reject: number;
};

/** Cumulative rounding: the shares are whole parts and add up to `amount` exactly. */
const apportion = (amount: number, weights: readonly number[]): number[] => {
  const sum = weights.reduce((a, w) => a + w, 0);
  let cumulative = 0;
  let given = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = sum === 0 ? amount : Math.round((amount * cumulative) / sum);
    const share = upTo - given;
    given = upTo;
    return share;
  });
};

/** The instants in (fromMs, toMs) where the windows of time or the data-gap status change. */
const boundaries = (
  calendar: ProductionCalendar,
  gaps: readonly GapInterval[],
  fromMs: number,
  toMs: number,
  alsoAt: readonly number[],
): number[] => {
  const cuts = new Set<number>([fromMs, toMs]);
  for (const at of alsoAt) if (at > fromMs && at < toMs) cuts.add(at);
  for (const [a, b] of gaps) for (const edge of [a, b]) if (edge > fromMs && edge < toMs) cuts.add(edge);
  // Shift spans change only where planned time starts or ends (a break splits more finely, harmlessly).
  for (const interval of plannedIntervalsOf(calendar, fromMs, toMs))
    for (const edge of [interval.startMs, interval.endMs]) if (edge > fromMs && edge < toMs) cuts.add(edge);
  for (let hour = nextHourStart(calendar, fromMs); hour < toMs; hour = nextHourStart(calendar, hour)) cuts.add(hour);
  return [...cuts].sort((a, b) => a - b);
};

const inAnyGap = (gaps: readonly GapInterval[], ms: number): boolean => gaps.some(([a, b]) => a <= ms && ms < b);

/**
 * A delta of `total` parts (`reject` of them rejected) reported at `toMs`, made evenly since `fromMs`
 * (the previous counts reading; null when there was none, then all of it belongs to `toMs`).
 * Rejects follow the parts they belong to when they can (never more rejects than parts in a piece).
 * `alsoAt`: further instants to cut at (where the machine's job changed, so each piece has one product).
 */
export const spreadCounts = (
  calendar: ProductionCalendar,
  gaps: readonly GapInterval[],
  fromMs: number | null,
  toMs: number,
  total: number,
  reject: number,
  alsoAt: readonly number[] = [],
): CountsPiece[] => {
  if (fromMs === null || !(fromMs < toMs)) return [{ atMs: toMs, inGap: false, total, reject }];
  const cuts = boundaries(calendar, gaps, fromMs, toMs, alsoAt);
  const pieces = cuts.slice(0, -1).map((start, i) => ({ start, ms: cuts[i + 1]! - start }));
  const totals = apportion(
    total,
    pieces.map((p) => p.ms),
  );
  const rejects =
    total > 0 && reject <= total
      ? apportion(reject, totals)
      : apportion(
          reject,
          pieces.map((p) => p.ms),
        );
  return pieces
    .map((p, i) => ({ atMs: p.start, inGap: inAnyGap(gaps, p.start), total: totals[i]!, reject: rejects[i]! }))
    .filter((p) => p.total !== 0 || p.reject !== 0);
};
