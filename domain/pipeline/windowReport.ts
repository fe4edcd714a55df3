// A supervisor's report: every machine's OEE per shift, per factory-local hour or per factory-local
// day, or per product and per order it ran (`job` messages), from the replay summary's windows. A day is the sum of its hours (each hour is booked once,
// keyed by its local start), measured with the same formulas as any other window (oeeForWindow).
import { oeeForWindow } from '../oee/oeeForWindow.ts';
import { emptyTotals, sumTotals, type WindowTotals } from '../oee/windowTotals.ts';
import { wallToUtc, MS_PER_DAY } from '../site/zonedTime.ts';
import { numbersOf, type MachineSummary, type WindowNumbers, type WindowSummary } from './replaySummary.ts';

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type ReportBy = 'shift' | 'hour' | 'day' | 'product' | 'order';
export const REPORT_BY: readonly ReportBy[] = ['shift', 'hour', 'day', 'product', 'order'];

type MachineFacts = {
  readonly idealCycleTimeS: number;
  readonly timezone: string;
  readonly productCycleTimesS?: Readonly<Record<string, number>>;
};

export type ReportRow = WindowSummary & {
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
};

/** The totals a window's numbers came from: seconds back to whole milliseconds, good back to rejects. */
const totalsOf = (w: WindowNumbers): WindowTotals => {
  const ms = (seconds: number): number => Math.round(seconds * 1000);
  return {
    ...emptyTotals,
    runMs: ms(w.runS),
    downMs: ms(w.downS),
    dataGapMs: ms(w.dataGapS),
    downByReason: Object.fromEntries(Object.entries(w.downtimeByReason).map(([reason, s]) => [reason, ms(s)])),
    total: w.total,
    reject: w.total - w.good,
    gapTotal: w.countsInGap.total,
    gapReject: w.countsInGap.total - w.countsInGap.good,
    ...(w.byProduct === undefined
      ? {}
      : {
          byProduct: Object.fromEntries(
            Object.entries(w.byProduct).map(([p, c]) => [p, { total: c.total, reject: c.total - c.good }]),
          ),
        }),
  };
};

const daysOf = (machine: MachineSummary, facts: MachineFacts): WindowSummary[] => {
  const { idealCycleTimeS, timezone, productCycleTimesS } = facts;
  const byDate = new Map<string, WindowTotals>();
  for (const hour of machine.hours) {
    const date = hour.key.slice(0, 10);
    byDate.set(date, sumTotals(byDate.get(date) ?? emptyTotals, totalsOf(hour)));
  }
  return [...byDate].map(([date, totals]) => {
    const midnight = Date.parse(`${date}T00:00Z`);
    const r = oeeForWindow(totals, idealCycleTimeS, productCycleTimesS);
    return {
      key: date,
      start: new Date(wallToUtc(timezone, midnight)).toISOString(),
      end: new Date(wallToUtc(timezone, midnight + MS_PER_DAY)).toISOString(),
      ...numbersOf(r),
    };
  });
};

/**
 * One row per machine and window, in time order (then factory, line, machine). `machineOf` gives a
 * machine's ideal cycle time and time zone (a day is a local day; its numbers need the ideal cycle).
 */
export const reportRows = (
  machines: readonly MachineSummary[],
  by: ReportBy,
  machineOf: (m: MachineSummary) => MachineFacts,
): ReportRow[] =>
  machines
    .flatMap((m) => {
      const windows: readonly WindowSummary[] =
        by === 'shift'
          ? m.shifts
          : by === 'hour'
            ? m.hours
            : by === 'product'
              ? (m.products ?? [])
              : by === 'order'
                ? (m.orders ?? [])
                : daysOf(m, machineOf(m));
      return windows.map((w): ReportRow => ({
        factoryId: m.factoryId,
        lineId: m.lineId,
        machineId: m.machineId,
        ...w,
      }));
    })
    .sort(
      (a, b) =>
        compareCodeUnits(a.start ?? '', b.start ?? '') ||
        compareCodeUnits(a.key, b.key) ||
        compareCodeUnits(a.factoryId, b.factoryId) ||
        compareCodeUnits(a.lineId, b.lineId) ||
        compareCodeUnits(a.machineId, b.machineId),
    );
