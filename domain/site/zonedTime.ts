// Wall-clock time in a factory's time zone, from `Intl` alone (domain/ has no date library).
//
// "Wall ms" below is a local date and time written as if it were UTC (Date.UTC of the local fields):
// it makes calendar arithmetic (next day, +90 minutes of wall time) plain addition.
//
// Daylight saving time, when a wall time does not name exactly one instant:
// - in a gap (spring forward: 02:30 does not exist in Berlin on 2026-03-29) the wall time maps to the
//   instant the clocks jump, so a shift starting in the gap starts when the clock shows the first
//   minute after it, and a break wholly inside the gap vanishes;
// - in an overlap (fall back: 02:30 happens twice on 2026-10-25) the wall time maps to its first
//   occurrence, so a night shift 22:00-06:00 on that night lasts the nine hours people work.
// Both rules keep wall → instant non-decreasing, so shifts that do not overlap on the clock do not
// overlap in time.

const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
// A memo, not state: the same zone always gives the same formatter.
const formatterFor = (zone: string): Intl.DateTimeFormat => {
  const cached = formatters.get(zone);
  if (cached !== undefined) return cached;
  const made = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formatters.set(zone, made);
  return made;
};

const floorTo = (value: number, unit: number): number => value - (((value % unit) + unit) % unit);

/** The zone's offset from UTC at an instant, in ms (Europe/Berlin in summer: 7 200 000). */
export const zoneOffsetMs = (zone: string, utcMs: number): number => {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) fields[part.type] = Number(part.value);
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wall - floorTo(utcMs, 1000);
};

/** The wall ms (local fields as if UTC) of an instant. */
export const utcToWall = (zone: string, utcMs: number): number => utcMs + zoneOffsetMs(zone, utcMs);

/** The instant a wall time names in the zone, resolving DST gaps and overlaps as described above. */
export const wallToUtc = (zone: string, wallMs: number): number => {
  // Offsets a day either side bracket any single transition near this wall time.
  const before = zoneOffsetMs(zone, wallMs - MS_PER_DAY);
  const after = zoneOffsetMs(zone, wallMs + MS_PER_DAY);
  // The same offset a day either side: no transition in between (no zone changes twice in two days).
  if (before === after) return wallMs - before;
  const candidates = [wallMs - before, wallMs - after].filter((utc) => zoneOffsetMs(zone, utc) === wallMs - utc);
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: the transition lies between the two candidates; find its first millisecond.
  let lo = Math.min(wallMs - before, wallMs - after);
  let hi = Math.max(wallMs - before, wallMs - after);
  const offsetAfter = zoneOffsetMs(zone, hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(zone, mid) === offsetAfter) hi = mid;
    else lo = mid;
  }
  return hi;
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a wall ms. */
export const wallDate = (wallMs: number): string => {
  const d = new Date(wallMs);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** `YYYY-MM-DDTHH` of a wall ms. */
export const wallHour = (wallMs: number): string => `${wallDate(wallMs)}T${pad(new Date(wallMs).getUTCHours())}`;

/** Midnight (wall ms) of the local date containing the instant. */
export const wallMidnight = (zone: string, utcMs: number): number => floorTo(utcToWall(zone, utcMs), MS_PER_DAY);

export { MS_PER_DAY };
