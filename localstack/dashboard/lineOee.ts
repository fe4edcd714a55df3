// OEE of a line or a plant from its machines' windows. A line's OEE is its machines' value-adding
// time over their planned time, Σ ideal cycle × good / Σ planned — the planned-time-weighted mean of
// the machines' OEE, so a machine idle on paper cannot drag a line down more than its share. Quality is
// weighted by ideal time (Σ ideal × good / Σ ideal × total) so that A × P × Q is still the OEE, as
// it is for one machine (docs/replay-summary.md); for a line of one machine every ratio equals the machine's own.
// A machine that ran jobs weighs each product's parts by that product's ideal cycle time (domain/oee).
import { idealTimeS, ratio, type OeeResult } from '../../domain/oee/oeeForWindow.ts';

export type MachineWindow = {
  readonly plannedS: number;
  readonly runS: number;
  readonly downS: number;
  readonly dataGapS: number;
  readonly total: number;
  readonly good: number;
  readonly idealCycleTimeS: number;
  readonly downtimeByReason: Readonly<Record<string, number>>;
  /** The parts made during jobs, per product, and the products' ideal cycle times on this machine. */
  readonly byProduct?: Readonly<Record<string, { readonly total: number; readonly good: number }>>;
  readonly productCycleTimesS?: Readonly<Record<string, number>>;
};

/** The ideal time of a machine's parts and good parts: each product's at its own rate, when it ran jobs. */
const idealOf = (m: MachineWindow): { readonly totalS: number; readonly goodS: number } => {
  const byProduct =
    m.byProduct === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(m.byProduct).map(([p, c]) => [p, { total: c.total, reject: c.total - c.good }]),
        );
  const ideal = idealTimeS(
    { total: m.total, reject: m.total - m.good, ...(byProduct === undefined ? {} : { byProduct }) },
    m.idealCycleTimeS,
    m.productCycleTimesS,
  );
  return ideal ?? { totalS: m.idealCycleTimeS * m.total, goodS: m.idealCycleTimeS * m.good };
};

/** A line's or plant's OEE: a machine's numbers, without what only a machine's own window has. */
export type RolledUpOee = Omit<OeeResult, 'countsInGap' | 'warnings' | 'byProduct'>;

export const rollUpOee = (machines: readonly MachineWindow[]): RolledUpOee => {
  let plannedS = 0,
    runS = 0,
    downS = 0,
    dataGapS = 0,
    total = 0,
    good = 0,
    idealTotalS = 0,
    idealGoodS = 0;
  const downtimeByReason: Record<string, number> = {};
  for (const m of machines) {
    plannedS += m.plannedS;
    runS += m.runS;
    downS += m.downS;
    dataGapS += m.dataGapS;
    total += m.total;
    good += m.good;
    const ideal = idealOf(m);
    idealTotalS += ideal.totalS;
    idealGoodS += ideal.goodS;
    for (const [reason, s] of Object.entries(m.downtimeByReason))
      downtimeByReason[reason] = (downtimeByReason[reason] ?? 0) + s;
  }
  return {
    plannedS,
    runS,
    downS,
    dataGapS,
    total,
    good,
    availability: ratio(runS, plannedS),
    performance: ratio(idealTotalS, runS),
    quality: ratio(idealGoodS, idealTotalS),
    oee: ratio(idealGoodS, plannedS),
    downtimeByReason,
  };
};

/** Downtime by reason, biggest loss first: the order of a Pareto chart. */
export const paretoOf = (
  downtimeByReason: Readonly<Record<string, number>>,
): { readonly reason: string; readonly seconds: number }[] =>
  Object.entries(downtimeByReason)
    .map(([reason, seconds]) => ({ reason, seconds }))
    .sort((a, b) => b.seconds - a.seconds || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
