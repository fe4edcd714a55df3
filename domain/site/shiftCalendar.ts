// Planned production time from the shift calendar (docs/replay-summary.md: time outside shifts and planned breaks
// is not planned), in each factory's own time zone. DST handling: see zonedTime.ts.
import { breakOffsets, shiftSpan } from './clockTime.ts';
import type { ShiftConfig, SiteConfig } from './siteConfig.ts';
import { MS_PER_DAY, wallDate, wallHour, wallMidnight, wallToUtc, zoneOffsetMs } from './zonedTime.ts';

/**
 * The shifts of a calendar: one list for every day (the site's `shifts`), or the shifts of each local
 * date (a factory's or line's calendar: weekdays, holidays, overrides; calendarConfig.ts); undefined
 * plans all time.
 */
export type Shifts = readonly ShiftConfig[] | DatedShifts | undefined;
/** The shifts that start on a local date (`YYYY-MM-DD`; `weekday` 0 = Sunday … 6 = Saturday). */
export type DatedShifts = (date: string, weekday: number) => readonly ShiftConfig[];

const shiftsOn = (shifts: readonly ShiftConfig[] | DatedShifts, midnight: number): readonly ShiftConfig[] =>
  typeof shifts === 'function' ? shifts(wallDate(midnight), new Date(midnight).getUTCDay()) : shifts;

/** A stretch of planned time; `shiftKey` is `YYYY-MM-DD/<shift name>`, null when the site has no shifts. */
export type PlannedInterval = { readonly startMs: number; readonly endMs: number; readonly shiftKey: string | null };

type ShiftInstance = {
  readonly shiftKey: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly breaks: ReadonlyArray<readonly [number, number]>;
};

const MS_PER_MIN = 60_000;

/** The shifts that start on the local date whose midnight (wall ms) is `midnight`. */
const instancesOn = (zone: string, shifts: readonly ShiftConfig[] | DatedShifts, midnight: number): ShiftInstance[] =>
  shiftsOn(shifts, midnight).flatMap((shift) => {
    const span = shiftSpan(shift.start, shift.end);
    if (span === undefined) return []; // refused by decodeSiteConfig; nothing is planned by a shift with no length
    // Minutes past 1440 roll into the next date: a night shift belongs to the day it starts.
    const at = (minutesAfterMidnight: number): number => wallToUtc(zone, midnight + minutesAfterMidnight * MS_PER_MIN);
    // A break lasts its configured length from when it starts, whatever DST does to the clock that
    // night: one that starts in the hour skipped in spring starts when the clock jumps (it is shifted,
    // never dropped), and one in the hour repeated in autumn is not doubled.
    const breaks = (shift.breaks ?? []).flatMap((pause) => {
      const offsets = breakOffsets(span, pause.start, pause.end);
      if (offsets === undefined) return [];
      const from = at(span.startMin + offsets.fromMin);
      return [[from, from + (offsets.toMin - offsets.fromMin) * MS_PER_MIN] as const];
    });
    return [
      {
        shiftKey: `${wallDate(midnight)}/${shift.name}`,
        startMs: at(span.startMin),
        endMs: at(span.startMin + span.lengthMin),
        breaks,
      },
    ];
  });

/** Shift instances that may touch [fromMs, toMs): a shift is shorter than a day, so start a day early. */
const instancesAround = (
  zone: string,
  shifts: readonly ShiftConfig[] | DatedShifts,
  fromMs: number,
  toMs: number,
): ShiftInstance[] => {
  const instances: ShiftInstance[] = [];
  const last = wallMidnight(zone, toMs);
  for (let midnight = wallMidnight(zone, fromMs) - MS_PER_DAY; midnight <= last; midnight += MS_PER_DAY) {
    instances.push(...instancesOn(zone, shifts, midnight));
  }
  return instances;
};

const withoutBreaks = (instance: ShiftInstance): Array<readonly [number, number]> => {
  const pieces: Array<readonly [number, number]> = [];
  let cursor = instance.startMs;
  for (const [from, to] of [...instance.breaks].sort((a, b) => a[0] - b[0])) {
    if (from > cursor) pieces.push([cursor, Math.min(from, instance.endMs)]);
    cursor = Math.max(cursor, to);
  }
  if (cursor < instance.endMs) pieces.push([cursor, instance.endMs]);
  return pieces;
};

/** Planned intervals in a zone: sorted, disjoint, inside [fromMs, toMs). */
export const plannedIntervalsIn = (zone: string, shifts: Shifts, fromMs: number, toMs: number): PlannedInterval[] => {
  if (!(fromMs < toMs)) return [];
  if (shifts === undefined) return [{ startMs: fromMs, endMs: toMs, shiftKey: null }];
  return instancesAround(zone, shifts, fromMs, toMs)
    .flatMap((instance) =>
      withoutBreaks(instance).map(([start, end]) => ({
        startMs: Math.max(start, fromMs),
        endMs: Math.min(end, toMs),
        shiftKey: instance.shiftKey,
      })),
    )
    .filter((interval) => interval.startMs < interval.endMs)
    .sort((a, b) => a.startMs - b.startMs);
};

/** The shift instances that may contain an instant of the local date whose midnight is `midnight`. */
const instancesNear = (
  zone: string,
  shifts: readonly ShiftConfig[] | DatedShifts,
  midnight: number,
): ShiftInstance[] => [...instancesOn(zone, shifts, midnight - MS_PER_DAY), ...instancesOn(zone, shifts, midnight)];

const keyAt = (instances: readonly ShiftInstance[], ms: number): string | null => {
  for (const instance of instances) if (instance.startMs <= ms && ms < instance.endMs) return instance.shiftKey;
  return null;
};

/** The shift instance whose span (breaks included: a break belongs to its shift) contains `ms`. */
export const shiftKeyIn = (zone: string, shifts: Shifts, ms: number): string | null =>
  shifts === undefined ? null : keyAt(instancesNear(zone, shifts, wallMidnight(zone, ms)), ms);

const SHIFT_KEY = /^(\d{4})-(\d{2})-(\d{2})\/(.+)$/;

/** When the shift instance `YYYY-MM-DD/<name>` starts and ends (breaks included); null when there is no such shift. */
export const shiftSpanIn = (
  zone: string,
  shifts: Shifts,
  shiftKey: string,
): { readonly startMs: number; readonly endMs: number } | null => {
  const match = SHIFT_KEY.exec(shiftKey);
  if (match === null || shifts === undefined) return null;
  const midnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const shift = shiftsOn(shifts, midnight).find((s) => s.name === match[4]);
  if (shift === undefined) return null;
  const instance = instancesOn(zone, [shift], midnight)[0];
  return instance === undefined ? null : { startMs: instance.startMs, endMs: instance.endMs };
};

// A few local dates and UTC days: those a replay's late and early messages move between.
const LOOKUP_LIMIT = 4;

/**
 * shiftKeyIn as a lookup for one zone and calendar, for a caller that asks at every message (the OEE
 * projection books each count to its shift). shiftKeyIn's cost is time-zone arithmetic: building a
 * local date's shift instances and finding the local date of an instant. Here the instances are built
 * once per local date, and the local date comes from the zone's offset, read once per UTC day (when
 * the offset changes within that day, from the zone itself at each instant). It keeps only the last
 * few dates and days, so it cannot grow; a property test holds it to shiftKeyIn.
 */
export const shiftKeyLookup = (zone: string, shifts: Shifts): ((ms: number) => string | null) => {
  if (shifts === undefined) return () => null;
  // UTC day number → the zone's offset throughout it, or null when a transition falls inside it.
  const offsets = new Map<number, number | null>();
  const instancesByMidnight = new Map<number, readonly ShiftInstance[]>();
  return (ms) => {
    const day = Math.floor(ms / MS_PER_DAY);
    let offset = offsets.get(day);
    if (offset === undefined) {
      // zonedTime assumes no zone changes its offset twice within two days; the same holds here.
      const first = zoneOffsetMs(zone, day * MS_PER_DAY);
      offset = first === zoneOffsetMs(zone, (day + 1) * MS_PER_DAY - 1) ? first : null;
      if (offsets.size >= LOOKUP_LIMIT) offsets.clear();
      offsets.set(day, offset);
    }
    const midnight = offset === null ? wallMidnight(zone, ms) : Math.floor((ms + offset) / MS_PER_DAY) * MS_PER_DAY;
    let instances = instancesByMidnight.get(midnight);
    if (instances === undefined) {
      instances = instancesNear(zone, shifts, midnight);
      if (instancesByMidnight.size >= LOOKUP_LIMIT) instancesByMidnight.clear();
      instancesByMidnight.set(midnight, instances);
    }
    return keyAt(instances, ms);
  };
};

/** `+05:30` for an offset of 19 800 000 ms. */
export const offsetText = (offsetMs: number): string => {
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/**
 * The local hour containing `ms`, keyed by its local start with the offset in force
 * (`2026-11-01T01:00-05:00`): every hour window is one real hour, so in the fall-back overlap the
 * repeated hour is two windows (in Chicago on 2026-11-01: `T01:00-05:00`, then `T01:00-06:00`), and
 * the hour skipped in spring has no key.
 */
export const hourKeyIn = (zone: string, ms: number): string => {
  const offset = zoneOffsetMs(zone, ms);
  return `${wallHour(ms + offset)}:00${offsetText(offset)}`;
};

const zoneOf = (site: SiteConfig, factoryId: string): string | undefined =>
  site.factories.find((f) => f.id === factoryId)?.timezone;

/** Planned intervals of a factory in [fromMs, toMs); undefined when the site has no such factory. */
export const plannedIntervals = (
  site: SiteConfig,
  factoryId: string,
  fromMs: number,
  toMs: number,
): PlannedInterval[] | undefined => {
  const zone = zoneOf(site, factoryId);
  return zone === undefined ? undefined : plannedIntervalsIn(zone, site.shifts, fromMs, toMs);
};

/** The factory's local hour of `ms`; undefined when the site has no such factory. */
export const hourKey = (site: SiteConfig, factoryId: string, ms: number): string | undefined => {
  const zone = zoneOf(site, factoryId);
  return zone === undefined ? undefined : hourKeyIn(zone, ms);
};

/** The shift instance containing `ms`, null outside shifts (or without shifts); undefined for an unknown factory. */
export const shiftKeyAt = (site: SiteConfig, factoryId: string, ms: number): string | null | undefined => {
  const zone = zoneOf(site, factoryId);
  return zone === undefined ? undefined : shiftKeyIn(zone, site.shifts, ms);
};
