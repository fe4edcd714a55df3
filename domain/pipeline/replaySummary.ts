// The replay summary, version 1 (docs/replay-summary.md): a public interface that scripts read, so its shape is
// kept exactly — machines sorted by factory, line, machine; null for a ratio with a zero denominator.
// Extensions are additive only (alerts carry factoryId, lineId and cause besides the documented keys;
// machines carry their window's start and end, warnings, countsInGap, and their shifts and hours; with
// jobs, their products and orders, and each window's byProduct).
import type { AlertRecord } from '../alerts/alertProjection.ts';
import { nextHourStart, type ProductionCalendar } from '../oee/calendar.ts';
import { oeeForWindow, type OeeResult } from '../oee/oeeForWindow.ts';
import { oeeWindows, type OeeProjectionState } from '../oee/oeeProjection.ts';
import { emptyTotals, type WindowTotals } from '../oee/windowTotals.ts';
import type { MachineEntry } from '../site/siteRegistry.ts';
import { classifiedReasons } from '../downtime/classification.ts';
import type { DowntimeClassified } from '../machine/events.ts';
import { downtimeByCategory, type ReasonConfig } from '../site/reasonCatalog.ts';

export type MessageCounts = {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
};
/** A refused line; `file` is the recording it came from (the path it was last replayed under). */
export type Rejection = {
  readonly line: number;
  readonly topic: string;
  readonly reason: string;
  readonly file?: string | null;
};

/** The numbers of one window: the whole replay, a shift or an hour (oee/oeeForWindow.ts). */
export type WindowNumbers = OeeResult;

/** A shift (`2026-11-24/early`) or a factory-local hour (`2026-11-24T06:00+01:00`) with its span in UTC. */
export type WindowSummary = WindowNumbers & {
  readonly key: string;
  readonly start: string | null;
  readonly end: string | null;
};

export type MachineSummary = WindowNumbers & {
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
  /** The span the machine's numbers cover: its first message (or the replay's start) to the replay's end. */
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly shifts: readonly WindowSummary[];
  readonly hours: readonly WindowSummary[];
  /** Per product and per order the machine ran (`job` messages): present only when a job ran. */
  readonly products?: readonly WindowSummary[];
  readonly orders?: readonly OrderSummary[];
  /** Present when the site has a reason catalog: `downS` by loss category (docs/replay-summary.md). */
  readonly downtimeByCategory?: Readonly<Record<string, number>>;
  /** Present when stops were classified after the fact: the last classification of each, by stop start. */
  readonly classifiedStops?: readonly ClassifiedStop[];
};

export type ClassifiedStop = {
  readonly stopStart: string;
  readonly reason: string;
  readonly classifiedAt: string;
  readonly by: string | null;
};

/** An order's window: its product and target, from its first job message to the next order's. */
export type OrderSummary = WindowSummary & { readonly product: string; readonly targetQuantity: number | null };

export type AlertSummary = {
  readonly machineId: string;
  readonly detector: string;
  readonly raisedAt: string;
  readonly clearedAt: string | null;
  readonly factoryId: string;
  readonly lineId: string;
  readonly cause: string;
  /** Present, `"edge"`, only for an alert the gateway raised (a compatible addition). */
  readonly origin?: 'edge';
};

export type ReplaySummary = {
  readonly version: 1;
  readonly messages: MessageCounts;
  readonly machines: readonly MachineSummary[];
  readonly alerts: readonly AlertSummary[];
  readonly rejections: readonly Rejection[];
};

export type MachineOutcome = {
  readonly machine: MachineEntry;
  readonly totals: WindowTotals | undefined;
  readonly alerts: readonly AlertRecord[];
  /** The machine's closed OEE projection and calendar, for its window's span and its shifts and hours. */
  readonly oee?: OeeProjectionState;
  readonly calendar?: ProductionCalendar;
  /** The site's reason catalog and the machine's classified stops, when there are any. */
  readonly reasons?: readonly ReasonConfig[];
  readonly classifications?: readonly DowntimeClassified[];
};

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byMachine = (a: { factoryId: string; lineId: string; machineId: string }, b: typeof a): number =>
  compareCodeUnits(a.factoryId, b.factoryId) ||
  compareCodeUnits(a.lineId, b.lineId) ||
  compareCodeUnits(a.machineId, b.machineId);

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** A window's numbers in the summary's field order (the JSON a user's scripts read). */
export const numbersOf = (r: OeeResult): WindowNumbers => ({
  plannedS: r.plannedS,
  runS: r.runS,
  downS: r.downS,
  dataGapS: r.dataGapS,
  total: r.total,
  good: r.good,
  availability: r.availability,
  performance: r.performance,
  quality: r.quality,
  oee: r.oee,
  downtimeByReason: r.downtimeByReason,
  countsInGap: r.countsInGap,
  warnings: r.warnings,
  ...(r.byProduct === undefined ? {} : { byProduct: r.byProduct }),
});

const HOUR_PREFIX = 'hour:';
const SHIFT_PREFIX = 'shift:';

/** Windows of one kind in time order, each with its span: an hour key is its local start; a shift's span comes from the calendar. */
const windowsOf = (
  windows: Readonly<Record<string, WindowTotals>>,
  prefix: string,
  idealCycleTimeS: number,
  calendar: ProductionCalendar | undefined,
  productCycleTimesS?: Readonly<Record<string, number>>,
): WindowSummary[] =>
  Object.keys(windows)
    .filter((key) => key.startsWith(prefix))
    .map((full) => {
      const key = full.slice(prefix.length);
      let span: { readonly startMs: number; readonly endMs: number } | null = null;
      if (prefix === HOUR_PREFIX) {
        const startMs = Date.parse(key);
        span = Number.isNaN(startMs)
          ? null
          : { startMs, endMs: calendar === undefined ? startMs + 3_600_000 : nextHourStart(calendar, startMs) };
      } else {
        span = calendar?.shiftSpan(key) ?? null;
      }
      return {
        key,
        start: iso(span?.startMs),
        end: iso(span?.endMs),
        ...numbersOf(oeeForWindow(windows[full]!, idealCycleTimeS, productCycleTimesS)),
      };
    })
    .sort((a, b) => compareCodeUnits(a.start ?? '', b.start ?? '') || compareCodeUnits(a.key, b.key));

const PRODUCT_PREFIX = 'product:';
const ORDER_PREFIX = 'order:';

/** Each product's and order's numbers, the loss Pareto among them; undefined when no job ran. */
const jobWindowsOf = (
  outcome: MachineOutcome,
  windows: Readonly<Record<string, WindowTotals>>,
): Pick<MachineSummary, 'products' | 'orders'> => {
  const orders = outcome.oee?.orders;
  if (orders === undefined) return {};
  const { idealCycleTimeS, productCycleTimesS } = outcome.machine;
  const numbers = (key: string) =>
    numbersOf(oeeForWindow(windows[key] ?? emptyTotals, idealCycleTimeS, productCycleTimesS));
  const products = [...new Set(Object.values(orders).map((o) => o.product))].sort(compareCodeUnits);
  return {
    products: products.map((product) => ({
      key: product,
      start: null,
      end: null,
      ...numbers(PRODUCT_PREFIX + product),
    })),
    orders: Object.entries(orders)
      .map(([order, info]): OrderSummary => ({
        key: order,
        start: iso(info.startMs),
        end: iso(info.endMs ?? outcome.oee?.windowEndMs),
        product: info.product,
        targetQuantity: info.targetQuantity,
        ...numbers(ORDER_PREFIX + order),
      }))
      .sort((a, b) => compareCodeUnits(a.start ?? '', b.start ?? '') || compareCodeUnits(a.key, b.key)),
  };
};

export const machineSummary = (outcome: MachineOutcome): MachineSummary => {
  const { idealCycleTimeS, productCycleTimesS } = outcome.machine;
  const r = oeeForWindow(outcome.totals ?? emptyTotals, idealCycleTimeS, productCycleTimesS);
  const windows = outcome.oee === undefined ? {} : oeeWindows(outcome.oee);
  return {
    factoryId: outcome.machine.factory,
    lineId: outcome.machine.line,
    machineId: outcome.machine.machine,
    ...numbersOf(r),
    windowStart: iso(outcome.oee?.windowStartMs),
    windowEnd: iso(outcome.oee?.windowEndMs),
    shifts: windowsOf(windows, SHIFT_PREFIX, idealCycleTimeS, outcome.calendar, productCycleTimesS),
    hours: windowsOf(windows, HOUR_PREFIX, idealCycleTimeS, outcome.calendar, productCycleTimesS),
    ...jobWindowsOf(outcome, windows),
    ...(outcome.reasons === undefined
      ? {}
      : { downtimeByCategory: downtimeByCategory(outcome.reasons, r.downtimeByReason) }),
    ...(outcome.classifications === undefined || outcome.classifications.length === 0
      ? {}
      : {
          classifiedStops: [...classifiedReasons(outcome.classifications).values()]
            .sort((a, b) => a.ts - b.ts)
            .map((c) => ({
              stopStart: new Date(c.ts).toISOString(),
              reason: c.reason,
              classifiedAt: new Date(c.classifiedAt).toISOString(),
              by: c.by,
            })),
        }),
  };
};

export const replaySummary = (
  messages: MessageCounts,
  outcomes: readonly MachineOutcome[],
  rejections: readonly Rejection[],
): ReplaySummary => {
  const machines = outcomes.map(machineSummary);
  const alerts = outcomes.flatMap((o) =>
    o.alerts.map((a): AlertSummary => ({
      machineId: o.machine.machine,
      detector: a.detector,
      raisedAt: new Date(a.raisedAt).toISOString(),
      clearedAt: a.clearedAt === null ? null : new Date(a.clearedAt).toISOString(),
      factoryId: o.machine.factory,
      lineId: o.machine.line,
      cause: a.cause,
      ...(a.origin === undefined ? {} : { origin: a.origin }),
    })),
  );
  return {
    version: 1,
    messages,
    machines: [...machines].sort(byMachine),
    alerts: [...alerts].sort(
      (a, b) => compareCodeUnits(a.raisedAt, b.raisedAt) || byMachine(a, b) || compareCodeUnits(a.detector, b.detector),
    ),
    rejections: [...rejections].sort((a, b) => a.line - b.line),
  };
};
