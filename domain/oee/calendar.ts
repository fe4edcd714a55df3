// The production calendar an OEE window is measured against: when the factory planned to produce
// (shifts minus breaks) and how its local hours are named. Built from the site configuration.

export type PlannedInterval = { readonly startMs: number; readonly endMs: number; readonly shiftKey: string | null };

export type ProductionCalendar = {
  /** Sorted, disjoint planned intervals inside [fromMs, toMs). */
  readonly plannedIntervals: (fromMs: number, toMs: number) => readonly PlannedInterval[];
  /** The factory-local hour containing `ms`, `YYYY-MM-DDTHH`. */
  readonly hourKey: (ms: number) => string;
  /** The shift instance whose span (breaks included) contains `ms`, `YYYY-MM-DD/<name>`, or null. */
  readonly shiftKeyAt: (ms: number) => string | null;
};

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The start of the next local hour after `ms`: every time zone's offset is a whole number of quarter hours. */
export const nextHourStart = (calendar: ProductionCalendar, ms: number): number => {
  const key = calendar.hourKey(ms);
  let boundary = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS + QUARTER_HOUR_MS;
  while (calendar.hourKey(boundary) === key) boundary += QUARTER_HOUR_MS;
  return boundary;
};

const utcHourKey = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

/** No shifts configured: all time is planned (DESIGN §6), hours named in UTC. */
export const alwaysPlannedUtc: ProductionCalendar = {
  plannedIntervals: (fromMs, toMs) => (toMs > fromMs ? [{ startMs: fromMs, endMs: toMs, shiftKey: null }] : []),
  hourKey: utcHourKey,
  shiftKeyAt: () => null,
};
