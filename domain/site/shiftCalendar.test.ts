import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type ShiftConfig, type SiteConfig } from './siteConfig.ts';
import {
  hourKey,
  plannedIntervals,
  plannedIntervalsIn,
  shiftKeyAt,
  shiftKeyIn,
  shiftKeyLookup,
  type PlannedInterval,
} from './shiftCalendar.ts';

const H = 3_600_000;
const MIN = 60_000;
const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const show = (intervals: readonly PlannedInterval[] | undefined) =>
  (intervals ?? []).map((i) => `${iso(i.startMs)} ${iso(i.endMs)} ${i.shiftKey}`);

const siteWith = (shifts: readonly ShiftConfig[] | undefined, timezone = 'Europe/Berlin'): SiteConfig => {
  const result = decodeSiteConfig({
    version: 1,
    factories: [{ id: 'f1', timezone, lines: [] }],
    ...(shifts === undefined ? {} : { shifts }),
  });
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
};

const early = { name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '09:00', end: '09:15' }] };
const night = { name: 'night', start: '22:00', end: '06:00', breaks: [{ start: '23:45', end: '00:15' }] };

test('Berlin across the fall-back of 2026-10-25: the night shift works 9 h of clock time, minus its break', (t) => {
  const site = siteWith([early, night]);
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-10-24T12:00Z'), utc('2026-10-25T12:00Z'))), [
    // early on the 24th (CEST, UTC+2) ends 14:00 local = 12:00Z, so the window starts with the night shift.
    '2026-10-24T20:00:00Z 2026-10-24T21:45:00Z 2026-10-24/night',
    // 00:15 CEST = 22:15Z; 06:00 CET (UTC+1, after 03:00 CEST became 02:00 CET) = 05:00Z.
    '2026-10-24T22:15:00Z 2026-10-25T05:00:00Z 2026-10-24/night',
    '2026-10-25T05:00:00Z 2026-10-25T08:00:00Z 2026-10-25/early',
    '2026-10-25T08:15:00Z 2026-10-25T12:00:00Z 2026-10-25/early',
  ]);
  const nightTotal = (plannedIntervals(site, 'f1', utc('2026-10-24T18:00Z'), utc('2026-10-25T05:00Z')) ?? []).reduce(
    (sum, i) => sum + i.endMs - i.startMs,
    0,
  );
  t.is(nightTotal, 8.5 * H);
});

test('Berlin across the spring-forward of 2026-03-29: the night shift is one hour shorter', (t) => {
  const site = siteWith([{ name: 'night', start: '22:00', end: '06:00' }]);
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-03-28T12:00Z'), utc('2026-03-29T12:00Z'))), [
    // 22:00 CET = 21:00Z; 06:00 CEST = 04:00Z: seven hours.
    '2026-03-28T21:00:00Z 2026-03-29T04:00:00Z 2026-03-28/night',
  ]);
});

test('a shift starting in the spring-forward gap starts when the clock jumps, and a break the clock skips is shifted there, never dropped', (t) => {
  const site = siteWith([{ name: 'odd', start: '02:30', end: '04:00', breaks: [{ start: '02:40', end: '02:50' }] }]);
  // 02:00-03:00 does not exist on 2026-03-29 in Berlin: 02:30 → the jump at 01:00Z; the 10-minute break
  // at 02:40 starts at the jump too and keeps its length: 03:00-03:10 CEST.
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-03-29T00:00Z'), utc('2026-03-29T06:00Z'))), [
    '2026-03-29T01:10:00Z 2026-03-29T02:00:00Z 2026-03-29/odd',
  ]);
});

test("Chicago's spring-forward of 2026-03-08: a night-shift break at 02:15-02:45 is taken at 03:00-03:30 CDT", (t) => {
  const site = siteWith(
    [{ name: 'night', start: '22:00', end: '06:00', breaks: [{ start: '02:15', end: '02:45' }] }],
    'America/Chicago',
  );
  // 22:00 CST = 04:00Z; the clock jumps at 08:00Z (02:00 CST → 03:00 CDT); 06:00 CDT = 11:00Z.
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-03-08T00:00Z'), utc('2026-03-08T12:00Z'))), [
    '2026-03-08T04:00:00Z 2026-03-08T08:00:00Z 2026-03-07/night',
    '2026-03-08T08:30:00Z 2026-03-08T11:00:00Z 2026-03-07/night',
  ]);
});

test('a break in the hour repeated at fall-back lasts its own length, not two hours', (t) => {
  const site = siteWith(
    [{ name: 'night', start: '22:00', end: '06:00', breaks: [{ start: '01:30', end: '02:30' }] }],
    'America/Chicago',
  );
  // 01:30 CDT (first occurrence) = 06:30Z; a one-hour break ends 07:30Z (01:30 CST), not 02:30 CST (08:30Z).
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-11-01T00:00Z'), utc('2026-11-01T13:00Z'))), [
    '2026-11-01T03:00:00Z 2026-11-01T06:30:00Z 2026-10-31/night',
    '2026-11-01T07:30:00Z 2026-11-01T12:00:00Z 2026-10-31/night',
  ]);
});

test('a night shift crossing midnight belongs to the date it starts, and its break across midnight is subtracted', (t) => {
  const site = siteWith([night], 'Asia/Tokyo');
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-01-01T00:00Z'), utc('2026-01-02T00:00Z'))), [
    // Tokyo is UTC+9 all year: the night of 1 Jan runs 22:00 JST (13:00Z) to 06:00 JST on 2 Jan (21:00Z).
    '2026-01-01T13:00:00Z 2026-01-01T14:45:00Z 2026-01-01/night',
    '2026-01-01T15:15:00Z 2026-01-01T21:00:00Z 2026-01-01/night',
  ]);
  t.is(
    shiftKeyAt(site, 'f1', utc('2026-01-01T15:30Z')),
    '2026-01-01/night',
    '00:30 JST on 2 Jan is still the night shift of 1 Jan',
  );
  t.is(shiftKeyAt(site, 'f1', utc('2026-01-01T14:50Z')), '2026-01-01/night', 'a break belongs to its shift');
  t.is(shiftKeyAt(site, 'f1', utc('2026-01-01T21:00Z')), null, 'the end is exclusive');
  t.is(shiftKeyAt(site, 'f1', utc('2026-01-01T12:59Z')), null);
});

test('breaks are subtracted from the early shift in Chicago', (t) => {
  const site = siteWith([early], 'America/Chicago');
  t.deepEqual(show(plannedIntervals(site, 'f1', utc('2026-07-01T00:00Z'), utc('2026-07-02T00:00Z'))), [
    '2026-07-01T11:00:00Z 2026-07-01T14:00:00Z 2026-07-01/early',
    '2026-07-01T14:15:00Z 2026-07-01T19:00:00Z 2026-07-01/early',
  ]);
});

test('without shifts the whole window is one planned interval with no shift key', (t) => {
  const site = siteWith(undefined);
  t.deepEqual(plannedIntervals(site, 'f1', 1000, 5000), [{ startMs: 1000, endMs: 5000, shiftKey: null }]);
  t.deepEqual(plannedIntervals(site, 'f1', 5000, 5000), []);
  t.is(shiftKeyAt(site, 'f1', 1000), null);
});

test('an unknown factory has no calendar', (t) => {
  const site = siteWith([early]);
  t.is(plannedIntervals(site, 'nope', 0, H), undefined);
  t.is(hourKey(site, 'nope', 0), undefined);
  t.is(shiftKeyAt(site, 'nope', 0), undefined);
});

test('hour keys are local hours keyed by local start with offset; the repeated hour of the fall-back is two keys', (t) => {
  const berlin = siteWith(undefined);
  t.is(hourKey(berlin, 'f1', utc('2026-10-24T22:30Z')), '2026-10-25T00:00+02:00');
  t.is(hourKey(berlin, 'f1', utc('2026-10-25T00:30Z')), '2026-10-25T02:00+02:00', 'first 02:xx (CEST)');
  t.is(hourKey(berlin, 'f1', utc('2026-10-25T01:30Z')), '2026-10-25T02:00+01:00', 'second 02:xx (CET)');
  t.is(hourKey(berlin, 'f1', utc('2026-10-25T02:30Z')), '2026-10-25T03:00+01:00');
  t.is(hourKey(berlin, 'f1', utc('2026-03-29T01:30Z')), '2026-03-29T03:00+02:00', 'the hour 02 is skipped in spring');
  t.is(hourKey(siteWith(undefined, 'America/Chicago'), 'f1', utc('2026-01-01T03:00Z')), '2025-12-31T21:00-06:00');
  t.is(hourKey(siteWith(undefined, 'Asia/Kathmandu'), 'f1', utc('2026-01-01T03:00Z')), '2026-01-01T08:00+05:45');
  // The key is the instant the hour starts.
  t.is(Date.parse('2026-10-25T02:00+01:00'), utc('2026-10-25T01:00Z'));
});

// --- properties over generated calendars -------------------------------------------------------

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Shifts that do not overlap (consecutive arcs between distinct boundaries), each with an optional break. */
const shiftsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 1439 }), { minLength: 2, maxLength: 6 })
  .chain((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const arcs = sorted.map((start, i) => ({
      start,
      length: (sorted[(i + 1) % sorted.length]! - start + 1440) % 1440,
    }));
    return fc.tuple(
      fc.subarray(arcs, { minLength: 1 }),
      fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { minLength: 6, maxLength: 6 }),
    );
  })
  .map(([arcs, pauses]) =>
    arcs.map((arc, i): ShiftConfig => {
      const [withBreak, a, b] = pauses[i]!;
      const from = a % arc.length;
      const to = from + 1 + (b % (arc.length - from));
      return {
        name: `s${i}`,
        start: hhmm(arc.start),
        end: hhmm(arc.start + arc.length),
        ...(withBreak && to <= arc.length
          ? { breaks: [{ start: hhmm(arc.start + from), end: hhmm(arc.start + to) }] }
          : {}),
      };
    }),
  );

const zoneArb = fc.constantFrom(
  'Europe/Berlin',
  'America/Chicago',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'UTC',
);
// Windows around 2026's DST changes (northern and southern) and anywhere in the year, up to four days long.
const windowArb = fc
  .tuple(
    fc.constantFrom(
      utc('2026-03-27T00:00Z'),
      utc('2026-04-03T00:00Z'),
      utc('2026-10-23T00:00Z'),
      utc('2026-10-30T00:00Z'),
      utc('2026-01-01T00:00Z'),
    ),
    fc.integer({ min: 0, max: 300 * 24 * 60 }),
    fc.integer({ min: 0, max: 4 * 24 * 60 }),
  )
  .map(([base, offsetMin, lengthMin]) => ({
    fromMs: base + (offsetMin % (5 * 24 * 60)) * MIN + (base === utc('2026-01-01T00:00Z') ? offsetMin * MIN : 0),
    lengthMs: lengthMin * MIN + 17,
  }));

const total = (intervals: readonly PlannedInterval[]): number =>
  intervals.reduce((sum, i) => sum + i.endMs - i.startMs, 0);
/** Joins touching pieces of the same shift, so two splittings of one window compare equal. */
const merged = (intervals: readonly PlannedInterval[]): PlannedInterval[] =>
  intervals.reduce<PlannedInterval[]>((out, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.endMs === i.startMs && last.shiftKey === i.shiftKey)
      out[out.length - 1] = { ...last, endMs: i.endMs };
    else out.push(i);
    return out;
  }, []);

testProp(
  'generated calendars are valid site configurations',
  [shiftsArb],
  (t, shifts) => {
    t.true(E.isRight(decodeSiteConfig({ version: 1, factories: [{ id: 'f1', timezone: 'UTC', lines: [] }], shifts })));
  },
  { numRuns: 200 },
);

testProp(
  'planned intervals are sorted, disjoint, non-empty, inside [from, to), and total at most to - from',
  [zoneArb, shiftsArb, windowArb],
  (t, zone, shifts, { fromMs, lengthMs }) => {
    const toMs = fromMs + lengthMs;
    const intervals = plannedIntervalsIn(zone, shifts, fromMs, toMs);
    intervals.forEach((interval, i) => {
      t.true(interval.startMs < interval.endMs, 'non-empty');
      t.true(interval.startMs >= fromMs && interval.endMs <= toMs, 'inside the window');
      const next = intervals[i + 1];
      if (next !== undefined) t.true(interval.endMs <= next.startMs, 'sorted and disjoint');
    });
    t.true(total(intervals) <= toMs - fromMs);
  },
  { numRuns: 150 },
);

testProp(
  'splitting [from, to) at any point gives the same planned union',
  [zoneArb, shiftsArb, windowArb, fc.double({ min: 0, max: 1, noNaN: true })],
  (t, zone, shifts, { fromMs, lengthMs }, at) => {
    const toMs = fromMs + lengthMs;
    const mid = fromMs + Math.floor(lengthMs * at);
    const whole = plannedIntervalsIn(zone, shifts, fromMs, toMs);
    const split = [...plannedIntervalsIn(zone, shifts, fromMs, mid), ...plannedIntervalsIn(zone, shifts, mid, toMs)];
    t.deepEqual(merged(split), merged(whole));
  },
  { numRuns: 150 },
);

testProp(
  "in a zone without DST any 7-day window holds 7 days of the calendar's planned minutes",
  [shiftsArb, fc.integer({ min: 0, max: 365 * 24 * 60 })],
  (t, shifts, offsetMin) => {
    const fromMs = utc('2026-01-01T00:00Z') + offsetMin * MIN;
    const perDay = shifts.reduce((sum, s) => {
      const [sh, sm] = s.start.split(':').map(Number) as [number, number];
      const [eh, em] = s.end.split(':').map(Number) as [number, number];
      const length = (eh * 60 + em - sh * 60 - sm + 1440) % 1440;
      const pauses = (s.breaks ?? []).reduce((p, b) => {
        const [bh, bm] = b.start.split(':').map(Number) as [number, number];
        const [ch, cm] = b.end.split(':').map(Number) as [number, number];
        return p + ((ch * 60 + cm - bh * 60 - bm + 1440) % 1440);
      }, 0);
      return sum + length - pauses;
    }, 0);
    t.is(total(plannedIntervalsIn('Asia/Tokyo', shifts, fromMs, fromMs + 7 * 24 * H)), 7 * perDay * MIN);
  },
  { numRuns: 100 },
);

// 2026's clock changes: the US (8 Mar, 1 Nov), the EU and Beirut (29 Mar, 25 Oct; Beirut at midnight),
// Australia and Chile (5 Apr, 4 Oct, 6 Sep; Chile at midnight), Lord Howe (half an hour).
const changeArb = fc.constantFrom(
  ...['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-10-04', '2026-10-25', '2026-11-01'].map((day) =>
    utc(`${day}T00:00Z`),
  ),
);
const lookupZoneArb = fc.constantFrom(
  'Europe/Berlin',
  'America/Chicago',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Asia/Beirut',
  'America/Santiago',
  'Asia/Kolkata',
  'UTC',
);
// Boundaries just after midnight and inside the hours clocks skip or repeat, where a wrong local date
// or offset would show.
const aroundMidnight: readonly ShiftConfig[] = [
  { name: 'late', start: '16:00', end: '00:10' },
  { name: 'small', start: '00:10', end: '02:30' },
  { name: 'early', start: '02:30', end: '16:00', breaks: [{ start: '02:40', end: '03:10' }] },
];
const lookupShiftsArb = fc.oneof(shiftsArb, fc.constant(aroundMidnight));
// Instants up to three days either side of a change, in any order (the lookup keeps state between asks).
const instantsArb = fc
  .tuple(
    changeArb,
    fc.array(fc.integer({ min: -3 * 24 * 60 * 60, max: 3 * 24 * 60 * 60 }), { minLength: 1, maxLength: 60 }),
  )
  .map(([change, seconds]) => seconds.map((s) => change + s * 1000 + (s % 7) * 13));

testProp(
  "the shift-key lookup gives shiftKeyIn's key at any instant, in any zone, across DST changes, asked in any order",
  [lookupZoneArb, lookupShiftsArb, instantsArb],
  (t, zone, shifts, instants) => {
    const lookup = shiftKeyLookup(zone, shifts);
    for (const ms of instants) t.is(lookup(ms), shiftKeyIn(zone, shifts, ms), `${zone} ${new Date(ms).toISOString()}`);
  },
  { numRuns: 200 },
);

testProp(
  "the shift-key lookup gives shiftKeyIn's key minute by minute through the days around a DST change",
  [lookupZoneArb, lookupShiftsArb, changeArb],
  (t, zone, shifts, change) => {
    const lookup = shiftKeyLookup(zone, shifts);
    for (let ms = change - 36 * H; ms < change + 36 * H; ms += 7 * MIN)
      t.is(lookup(ms), shiftKeyIn(zone, shifts, ms), `${zone} ${new Date(ms).toISOString()}`);
  },
  { numRuns: 20 },
);

test('the shift-key lookup finds the local date after midnight on the day the clocks change', (t) => {
  const lookup = shiftKeyLookup('Europe/Berlin', aroundMidnight);
  // 22:05Z on 29 Mar is 00:05 CEST on the 30th (UTC+2 since 01:00Z that day, UTC+1 at its start).
  t.is(lookup(utc('2026-03-29T22:05Z')), '2026-03-29/late');
  t.is(lookup(utc('2026-03-29T22:15Z')), '2026-03-30/small');
  t.is(lookup(utc('2026-03-29T22:15Z')), shiftKeyIn('Europe/Berlin', aroundMidnight, utc('2026-03-29T22:15Z')));
});

test('without shifts the shift-key lookup has no key', (t) => {
  t.is(shiftKeyLookup('Europe/Berlin', undefined)(utc('2026-03-29T01:30Z')), null);
});
