// Calendars per factory and line (docs/site-configuration.md#calendars): weekday patterns, weekends,
// holidays and overrides; a line's calendar wins over its factory's, which wins over the site's shifts.
import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { oeeForWindow } from '../oee/oeeForWindow.ts';
import { oeeWindow, WHOLE_RANGE } from '../oee/oeeProjection.ts';
import { closedCheckpointView, processMachineBatch, type MachineInput } from '../pipeline/machineBatch.ts';
import { initialCheckpoint } from '../pipeline/machineCheckpoint.ts';
import { machineStream } from '../pipeline/machineStream.ts';
import { machineShifts, streamConfigs } from '../pipeline/machineStreamConfig.ts';
import { decodeSiteConfig, type SiteConfig } from './siteConfig.ts';
import { siteRegistry } from './siteRegistry.ts';
import { plannedIntervalsIn, shiftKeyIn, shiftSpanIn, type PlannedInterval } from './shiftCalendar.ts';

const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const show = (intervals: readonly PlannedInterval[]) =>
  intervals.map((i) => `${iso(i.startMs)} ${iso(i.endMs)} ${i.shiftKey}`);
const plannedHours = (intervals: readonly PlannedInterval[]): number =>
  intervals.reduce((sum, i) => sum + i.endMs - i.startMs, 0) / 3_600_000;

const TWO_SHIFT = {
  id: 'two-shift',
  patterns: {
    weekday: [
      { name: 'early', start: '06:00', end: '14:00', breaks: [{ start: '09:00', end: '09:30' }] },
      { name: 'late', start: '14:00', end: '22:00' },
    ],
    saturday: [{ name: 'early', start: '06:00', end: '12:00' }],
    inventory: [{ name: 'day', start: '08:00', end: '12:00' }],
  },
  week: { mon: 'weekday', tue: 'weekday', wed: 'weekday', thu: 'weekday', fri: 'weekday', sat: 'saturday' },
  holidays: ['2026-12-25', '2026-12-26'],
  overrides: { '2026-12-31': 'inventory' },
};
const NIGHTS = {
  id: 'nights',
  patterns: { night: [{ name: 'night', start: '22:00', end: '06:00' }] },
  week: { sun: 'night', mon: 'night', tue: 'night', wed: 'night', thu: 'night', fri: 'night', sat: 'night' },
};

const decoded = (doc: Record<string, unknown>): E.Either<readonly string[], SiteConfig> =>
  decodeSiteConfig({
    version: 1,
    factories: [
      {
        id: 'f1',
        timezone: 'Europe/Berlin',
        calendar: 'two-shift',
        lines: [
          { id: 'assembly', machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 1 }] },
          { id: 'paint', calendar: 'nights', machines: [{ id: 'm2', type: 'press', idealCycleTimeS: 1 }] },
        ],
      },
      {
        id: 'f2',
        timezone: 'Europe/Berlin',
        lines: [{ id: 'l1', machines: [{ id: 'm3', type: 'press', idealCycleTimeS: 1 }] }],
      },
    ],
    shifts: [{ name: 'day', start: '07:00', end: '15:00' }],
    calendars: [TWO_SHIFT, NIGHTS],
    ...doc,
  });
const site = (() => {
  const result = decoded({});
  if (E.isLeft(result)) throw new Error(result.left.join('\n'));
  return result.right;
})();
const shiftsOf = (machine: string) =>
  machineShifts(
    site,
    siteRegistry(site)
      .machines()
      .find((m) => m.machine === machine)!,
  );
const ZONE = 'Europe/Berlin';
const day = (date: string, machine = 'm1') =>
  plannedIntervalsIn(ZONE, shiftsOf(machine), Date.parse(`${date}T00:00+01:00`), Date.parse(`${date}T24:00+01:00`));

test('a weekday pattern: Monday to Friday work two shifts (minus the break), Saturday its own, Sunday none', (t) => {
  // 2026-12-07 is a Monday.
  t.deepEqual(show(day('2026-12-07')), [
    '2026-12-07T05:00Z 2026-12-07T08:00Z 2026-12-07/early',
    '2026-12-07T08:30Z 2026-12-07T13:00Z 2026-12-07/early',
    '2026-12-07T13:00Z 2026-12-07T21:00Z 2026-12-07/late',
  ]);
  t.is(plannedHours(day('2026-12-11')), 15.5, 'Friday as Monday');
  t.deepEqual(show(day('2026-12-12')), ['2026-12-12T05:00Z 2026-12-12T11:00Z 2026-12-12/early'], 'Saturday');
  t.deepEqual(day('2026-12-13'), [], 'Sunday is a weekend: no planned time');
});

test('a holiday has no planned time; an override works its own pattern; the shift keys name the date', (t) => {
  // 2026-12-25 and 26 are a Friday and a Saturday: holidays, so nothing is planned.
  t.deepEqual(day('2026-12-25'), []);
  t.deepEqual(day('2026-12-26'), []);
  t.is(shiftKeyIn(ZONE, shiftsOf('m1'), Date.parse('2026-12-25T08:00+01:00')), null);
  // 2026-12-31 is a Thursday that works the inventory pattern instead of two shifts.
  t.deepEqual(show(day('2026-12-31')), ['2026-12-31T07:00Z 2026-12-31T11:00Z 2026-12-31/day']);
  t.deepEqual(shiftSpanIn(ZONE, shiftsOf('m1'), '2026-12-31/day'), {
    startMs: Date.parse('2026-12-31T08:00+01:00'),
    endMs: Date.parse('2026-12-31T12:00+01:00'),
  });
  t.is(shiftSpanIn(ZONE, shiftsOf('m1'), '2026-12-31/late'), null, 'the override has no late shift');
});

test("a line's calendar wins over its factory's, which wins over the site's shifts", (t) => {
  // m1 (assembly) works the factory's two shifts; m2 (paint) its line's nights; m3 (f2, no calendar) the site's day shift.
  t.is(plannedHours(day('2026-12-08', 'm1')), 15.5);
  t.deepEqual(show(day('2026-12-08', 'm2')), [
    '2026-12-07T23:00Z 2026-12-08T05:00Z 2026-12-07/night',
    '2026-12-08T21:00Z 2026-12-08T23:00Z 2026-12-08/night',
  ]);
  t.deepEqual(show(day('2026-12-08', 'm3')), ['2026-12-08T06:00Z 2026-12-08T14:00Z 2026-12-08/day']);
});

test('the DST rules hold in a calendar: the night before the fall-back works 9 h of clock time', (t) => {
  // 2026-10-24 is a Saturday; the clocks go back at 03:00 on Sunday the 25th.
  const nights = shiftsOf('m2');
  const night = plannedIntervalsIn(ZONE, nights, Date.parse('2026-10-24T12:00Z'), Date.parse('2026-10-25T12:00Z'));
  t.deepEqual(show(night), ['2026-10-24T20:00Z 2026-10-25T05:00Z 2026-10-24/night']);
});

test('calendar problems name the path: unknown calendar or pattern, a holiday overridden, shifts overlapping across midnight', (t) => {
  const problems = decoded({
    factories: [
      {
        id: 'f1',
        timezone: 'UTC',
        calendar: 'nope',
        lines: [{ id: 'l1', calendar: 'c1', machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 1 }] }],
      },
    ],
    calendars: [
      {
        id: 'c1',
        patterns: {
          nights: [{ name: 'night', start: '22:00', end: '07:00' }],
          days: [{ name: 'early', start: '06:00', end: '14:00' }],
        },
        week: { mon: 'nights', tue: 'days', wed: 'weekday' },
        holidays: ['2026-12-25'],
        overrides: { '2026-12-25': 'days' },
      },
    ],
  });
  t.true(E.isLeft(problems));
  const lines = E.isLeft(problems) ? problems.left : [];
  t.true(
    lines.includes('calendars[0].week.wed: no pattern "weekday" in calendars[0].patterns (known: nights, days)'),
    lines.join('\n'),
  );
  t.true(lines.some((l) => l.startsWith('calendars[0].overrides.2026-12-25: 2026-12-25 is also in holidays')));
  t.true(
    lines.some((l) =>
      l.startsWith(
        'calendars[0].patterns.days: shift "early" (06:00-14:00) starts before shift "night" of pattern "nights" ends',
      ),
    ),
  );
  t.true(lines.includes('factories[0].calendar: no calendar "nope" in calendars (known: c1); add it, or fix the name'));
  const badDate = decoded({ calendars: [{ ...NIGHTS, holidays: ['2026-02-30'] }] });
  t.deepEqual(E.isLeft(badDate) ? badDate.left.filter((l) => l.includes('holidays')) : [], [
    'calendars[0].holidays[0]: expected a local date "YYYY-MM-DD", got "2026-02-30"',
  ]);
});

const CALENDARS = [undefined, 'two-shift', 'nights'] as const;
testProp(
  "a machine works its line's calendar if it has one, else its factory's, else the site's shifts, on any date (200 runs)",
  [fc.constantFrom(...CALENDARS), fc.constantFrom(...CALENDARS), fc.integer({ min: 0, max: 400 })],
  (t, factoryCalendar, lineCalendar, dayOffset) => {
    const doc = decoded({
      factories: [
        {
          id: 'f1',
          timezone: ZONE,
          ...(factoryCalendar === undefined ? {} : { calendar: factoryCalendar }),
          lines: [
            {
              id: 'l1',
              ...(lineCalendar === undefined ? {} : { calendar: lineCalendar }),
              machines: [{ id: 'm1', type: 'press', idealCycleTimeS: 1 }],
            },
          ],
        },
      ],
    });
    if (E.isLeft(doc)) return t.fail(doc.left.join('\n'));
    const from = Date.parse('2026-06-01T00:00Z') + dayOffset * 86_400_000;
    const planned = (shifts: Parameters<typeof plannedIntervalsIn>[1]) =>
      plannedIntervalsIn(ZONE, shifts, from, from + 86_400_000);
    const machine = siteRegistry(doc.right).machines()[0]!;
    const winner = lineCalendar ?? factoryCalendar;
    const expected = winner === undefined ? doc.right.shifts : machineShifts(doc.right, { calendar: winner });
    t.deepEqual(planned(machineShifts(doc.right, machine)), planned(expected));
    if (lineCalendar !== undefined && factoryCalendar !== undefined && lineCalendar !== factoryCalendar)
      // The two calendars never plan the same day (nights work every night), so the line's really won.
      t.notDeepEqual(
        planned(machineShifts(doc.right, machine)),
        planned(machineShifts(doc.right, { calendar: factoryCalendar })),
      );
  },
  { numRuns: 200 },
);

test('a machine running through a holiday has no planned time there: no availability, and its parts are flagged', (t) => {
  const doc = decoded({ heartbeatTimeoutS: 86_400 });
  if (E.isLeft(doc)) return t.fail(doc.left.join('\n'));
  const entry = siteRegistry(doc.right)
    .machines()
    .find((m) => m.machine === 'm1')!;
  const config = streamConfigs(doc.right)(entry);
  const machine = { config, stream: machineStream(config) };
  const ts = (hhmm: string) => Date.parse(`2026-12-25T${hhmm}+01:00`);
  const inputs: MachineInput[] = [
    {
      kind: 'message',
      receivedAt: ts('06:00'),
      observation: { kind: 'state', messageId: 's', ts: ts('06:00'), state: 'RUNNING', reason: null },
    },
    {
      kind: 'message',
      receivedAt: ts('06:00'),
      observation: { kind: 'counts', messageId: 'c0', ts: ts('06:00'), total: 0, reject: 0 },
    },
    {
      kind: 'message',
      receivedAt: ts('14:00'),
      observation: { kind: 'counts', messageId: 'c1', ts: ts('14:00'), total: 900, reject: 0 },
    },
  ];
  const result = processMachineBatch(machine, initialCheckpoint(machine.stream), inputs);
  const closed = closedCheckpointView(machine, result.checkpoint, ts('14:00'));
  const r = oeeForWindow(oeeWindow(closed.checkpoint.oee, WHOLE_RANGE)!, entry.idealCycleTimeS);
  t.deepEqual([r.plannedS, r.runS, r.availability, r.oee, r.total], [0, 0, null, null, 900]);
  t.regex(r.warnings.join(' '), /900 parts counted with no run time/);
});
