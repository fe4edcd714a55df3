// The production calendar an OEE window is measured against: when the factory planned to produce
// (shifts minus breaks) and how its local hours are named. Built from the site configuration.

export type PlannedInterval = { readonly startMs: number; readonly endMs: number; readonly shiftKey: string | null };

export type ProductionCalendar = {
  /** Sorted, disjoint planned intervals inside [fromMs, toMs). */
  readonly plannedIntervals: (fromMs: number, toMs: number) => readonly PlannedInterval[];
  /** The factory-local hour containing `ms`, keyed by its local start with offset: `YYYY-MM-DDTHH:00±HH:MM`. */
  readonly hourKey: (ms: number) => string;
  /** The shift instance whose span (breaks included) contains `ms`, `YYYY-MM-DD/<name>`, or null. */
  readonly shiftKeyAt: (ms: number) => string | null;
  /** When a shift instance starts and ends (breaks included), from its key; null for a key the calendar does not know. */
  readonly shiftSpan: (shiftKey: string) => { readonly startMs: number; readonly endMs: number } | null;
};

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The start of the next local hour after `ms`: every time zone's offset is a whole number of quarter hours. */
export const nextHourStart = (calendar: ProductionCalendar, ms: number): number => {
  const key = calendar.hourKey(ms);
  let boundary = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + QUARTER_HOUR_MS;
  while (calendar.hourKey(boundary) === key) boundary += QUARTER_HOUR_MS;
  return boundary;
};

/** The UTC hour containing `ms`, keyed as factory hours are: `2026-11-25T06:00+00:00`. */
export const utcHourKey = (ms: number): string => `${new Date(ms).toISOString().slice(0, 13)}:00+00:00`;

/** No shifts configured: all time is planned (docs/site-configuration.md), hours named in UTC. */
export const alwaysPlannedUtc: ProductionCalendar = {
  plannedIntervals: (fromMs, toMs) => (toMs > fromMs ? [{ startMs: fromMs, endMs: toMs, shiftKey: null }] : []),
  hourKey: utcHourKey,
  shiftKeyAt: () => null,
  shiftSpan: () => null,
};

const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS_KEPT = 10_000;
const plannedDays = new WeakMap<ProductionCalendar, Map<number, readonly PlannedInterval[]>>();

/**
 * `calendar.plannedIntervals(fromMs, toMs)`, asked of the calendar once per UTC day and clipped.
 * Booking time asks at every state change, and a factory calendar answers with time-zone
 * arithmetic each time (a tenth of the fold's profile). The planned intervals of a span are those
 * of any larger span clipped to it, so this answers the same intervals, split at UTC midnights at
 * most; time is booked in whole milliseconds, so a split changes no total. A cache keyed by the
 * calendar: still a function of its arguments.
 */
export const plannedIntervalsOf = (
  calendar: ProductionCalendar,
  fromMs: number,
  toMs: number,
): readonly PlannedInterval[] => {
  if (!(fromMs < toMs)) return [];
  let days = plannedDays.get(calendar);
  if (days === undefined) {
    days = new Map();
    plannedDays.set(calendar, days);
  }
  const out: PlannedInterval[] = [];
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    let intervals = days.get(day);
    if (intervals === undefined) {
      if (days.size >= DAYS_KEPT) days.clear();
      intervals = calendar.plannedIntervals(day * DAY_MS, (day + 1) * DAY_MS);
      days.set(day, intervals);
    }
    for (const interval of intervals) {
      const startMs = Math.max(interval.startMs, fromMs);
      const endMs = Math.min(interval.endMs, toMs);
      if (startMs < endMs)
        out.push(
          startMs === interval.startMs && endMs === interval.endMs
            ? interval
            : { startMs, endMs, shiftKey: interval.shiftKey },
        );
    }
  }
  return out;
};
