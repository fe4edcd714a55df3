import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { runMachine } from '../machine/runMachine.ts';
import type { MachineCommand } from '../machine/decider.ts';
import type { Observation } from '../machine/observation.ts';
import * as E from 'fp-ts/lib/Either.js';
import { factoryCalendar } from '../pipeline/machineStreamConfig.ts';
import { decodeSiteConfig } from '../site/siteConfig.ts';
import { dailyShiftUtc, T0, timeline } from '../../testing/domain/machineTimelines.ts';
import { oeeEvent } from '../../testing/domain/oeeEvents.ts';
import { alwaysPlannedUtc, type ProductionCalendar } from './calendar.ts';
import { oeeForWindow } from './oeeForWindow.ts';
import { foldOee, oeeWindow, oeeWindows, shiftWindow, WHOLE_RANGE, hourWindow } from './oeeProjection.ts';

const MIN = 60_000;
const at = (minutes: number): number => T0 + minutes * MIN; // T0 is 2026-11-25T06:00Z
const machine = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 };
let nextId = 0;
const state = (
  minutes: number,
  s: Extract<Observation, { kind: 'state' }>['state'],
  reason: string | null = null,
): MachineCommand => ({
  kind: 'Observe',
  observation: { kind: 'state', messageId: `s${nextId++}`, ts: at(minutes), state: s, reason },
});
const counts = (minutes: number, total: number, reject: number): MachineCommand => ({
  kind: 'Observe',
  observation: { kind: 'counts', messageId: `c${nextId++}`, ts: at(minutes), total, reject },
});
const sample = (minutes: number): MachineCommand => ({
  kind: 'Observe',
  observation: { kind: 'telemetry', messageId: `t${nextId++}`, ts: at(minutes), metrics: { spindle_temp: 60 } },
});

const oeeOf = (
  calendar: ProductionCalendar,
  commands: MachineCommand[],
  idealCycleTimeS: number,
  window = WHOLE_RANGE,
  microStopMs = 120_000,
) => {
  const { events } = runMachine(machine, commands);
  const projection = foldOee({ calendar, microStopMs }, events);
  return oeeForWindow(oeeWindow(projection, window)!, idealCycleTimeS);
};

/** Heartbeats every 4 minutes, so no data gap opens in a test that is not about gaps. */
const heartbeats = (fromMin: number, toMin: number): MachineCommand[] =>
  Array.from({ length: Math.floor((toMin - fromMin) / 4) }, (_, i) => sample(fromMin + 4 * (i + 1)));

test('the OEE worked example of oee.com ("OEE Calculation": 8 h shift, 2×15 min breaks, 30 min meal, 47 min down, 1.0 s ideal cycle, 19,271 made, 423 rejected) reproduces A 0.888, P 0.861, Q 0.978, OEE 0.748', (t) => {
  // https://www.oee.com/calculating-oee/ — Availability 373/420 = 88.81 %, Performance 19,271 s / 22,380 s = 86.11 %,
  // Quality 18,848 / 19,271 = 97.80 %, OEE 74.79 %. The shift runs 06:00–14:00 with breaks at 09:00, 11:00 (meal) and 12:30.
  const calendar = dailyShiftUtc('early', '06:00', '14:00', [
    ['09:00', '09:15'],
    ['11:00', '11:30'],
    ['12:30', '12:45'],
  ]);
  const result = oeeOf(
    calendar,
    [
      { kind: 'Open', ts: at(0) },
      state(0, 'RUNNING'),
      counts(0, 0, 0),
      ...heartbeats(0, 60),
      state(60, 'DOWN', 'jam'),
      ...heartbeats(60, 107),
      state(107, 'RUNNING'),
      ...heartbeats(107, 480),
      counts(480, 19_271, 423),
      { kind: 'Close', ts: at(480) },
    ],
    1.0,
  );
  t.is(result.plannedS, 420 * 60);
  t.is(result.runS, 373 * 60);
  t.is(result.availability!.toFixed(3), '0.888');
  t.is(result.performance!.toFixed(3), '0.861');
  t.is(result.quality!.toFixed(3), '0.978');
  t.is(result.oee!.toFixed(3), '0.748');
  t.deepEqual(result.downtimeByReason, { jam: 47 * 60 });
});

test('the Vorne OEE worksheet (54 h, 460 min of breaks and breakdowns planned out, 960 min unscheduled down, 1.041 parts/min, 1,626 made, 8 rejected) gives A 0.655, P 0.858, Q 0.995, OEE 0.559', (t) => {
  // Vorne Industries "Calculating OEE Worksheet" (oee.com, 2002-2005): Planned 2,780 min, Operating 1,820 min,
  // Availability 65.47 %, Performance 85.82 %, Quality 99.50 %, OEE 55.90 %. Modelled with all time planned:
  // 460 min PLANNED_STOP, 960 min DOWN, the rest RUNNING; ideal cycle = 60 / 1.041 s.
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      state(0, 'PLANNED_STOP'),
      counts(0, 0, 0),
      ...heartbeats(0, 460),
      state(460, 'DOWN', 'unscheduled'),
      ...heartbeats(460, 1420),
      state(1420, 'RUNNING'),
      ...heartbeats(1420, 3240),
      counts(3240, 1626, 8),
      { kind: 'Close', ts: at(3240) },
    ],
    60 / 1.041,
  );
  t.is(result.plannedS, 2780 * 60);
  t.is(result.availability!.toFixed(3), '0.655');
  t.is(result.performance!.toFixed(3), '0.858');
  t.is(result.quality!.toFixed(3), '0.995');
  t.is(result.oee!.toFixed(3), '0.559');
});

test('a stop shorter than the micro-stop threshold counts as run time and shows as performance loss', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      state(0, 'RUNNING'),
      counts(0, 0, 0),
      ...heartbeats(0, 10),
      state(10, 'DOWN', 'jam'),
      state(11, 'RUNNING'), // one minute: under the 2 minute threshold
      ...heartbeats(11, 20),
      state(20, 'DOWN', 'jam'),
      ...heartbeats(20, 24),
      state(25, 'RUNNING'), // five minutes: a real stop
      ...heartbeats(25, 60),
      counts(60, 3000, 0),
      { kind: 'Close', ts: at(60) },
    ],
    1.0,
  );
  t.is(result.plannedS, 3600);
  t.is(result.runS, 55 * 60);
  t.is(result.downS, 5 * 60);
  t.deepEqual(result.downtimeByReason, { jam: 300 });
  t.is(result.availability!.toFixed(4), (55 / 60).toFixed(4));
});

test('silence past the heartbeat timeout is a data gap, excluded from planned time; the last state resumes with the next message', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      state(0, 'RUNNING'),
      counts(0, 0, 0),
      sample(4),
      sample(8), // then nothing for 22 minutes
      sample(30),
      ...heartbeats(30, 60),
      counts(60, 100, 10),
      { kind: 'Close', ts: at(60) },
    ],
    1.0,
  );
  // Last heard 06:08, timeout 5 min → gap 06:13–06:30 (17 min); RUNNING 06:00–06:13 and 06:30–07:00.
  // The 100 parts (10 rejected) counted over the hour: 17/60 of them fall in the gap, 43/60 are booked.
  t.is(result.dataGapS, 17 * 60);
  t.is(result.plannedS, 43 * 60);
  t.is(result.runS, 43 * 60);
  t.deepEqual([result.total, result.good], [72, 65]);
  t.deepEqual(result.countsInGap, { total: 28, good: 25 });
});

test('time before the first state is a data gap, and so is the time after the last message plus the timeout', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [{ kind: 'Open', ts: at(0) }, sample(5), state(10, 'RUNNING'), sample(14), { kind: 'Close', ts: at(60) }],
    1.0,
  );
  t.is(result.dataGapS, (10 + (60 - 19)) * 60);
  t.is(result.runS, 9 * 60);
});

test('a counter that goes down was reset: production after the reset still counts', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      state(0, 'RUNNING'),
      counts(0, 500, 5),
      counts(2, 600, 6),
      counts(4, 40, 1),
      counts(6, 90, 2),
      { kind: 'Close', ts: at(6) },
    ],
    1.0,
  );
  // 500→600: +100/+1; reset to 40/1: +40/+1; 40→90: +50/+1.
  t.is(result.total, 190);
  t.is(result.good, 187);
});

test('planned stops and time outside shifts are not planned time; breaks are not either', (t) => {
  const calendar = dailyShiftUtc('early', '06:00', '08:00', [['07:00', '07:30']]);
  const result = oeeOf(
    calendar,
    [
      state(-60, 'RUNNING'),
      ...heartbeats(-60, 0),
      ...heartbeats(0, 20),
      state(20, 'PLANNED_STOP'),
      ...heartbeats(20, 40),
      state(40, 'RUNNING'),
      ...heartbeats(40, 180),
      { kind: 'Close', ts: at(180) },
    ],
    1.0,
  );
  // Shift 06:00–08:00 minus break 07:00–07:30 = 90 min scheduled; 20 min planned stop → 70 min planned.
  t.is(result.plannedS, 70 * 60);
  t.is(result.availability, 1);
});

test('per-shift and per-hour windows split the same time as the whole range', (t) => {
  const calendar = dailyShiftUtc('early', '06:00', '08:00');
  const commands: MachineCommand[] = [
    state(0, 'RUNNING'),
    counts(0, 0, 0),
    ...heartbeats(0, 50),
    state(50, 'DOWN', 'jam'),
    ...heartbeats(50, 70),
    state(70, 'RUNNING'),
    ...heartbeats(70, 120),
    counts(119, 5000, 50),
    { kind: 'Close', ts: at(120) },
  ];
  const { events } = runMachine(machine, commands);
  const windows = oeeWindows(foldOee({ calendar, microStopMs: 120_000 }, events));
  const hour6 = oeeForWindow(windows[hourWindow('2026-11-25T06:00+00:00')]!, 1);
  const hour7 = oeeForWindow(windows[hourWindow('2026-11-25T07:00+00:00')]!, 1);
  const shift = oeeForWindow(windows[shiftWindow('2026-11-25/early')]!, 1);
  t.deepEqual([hour6.runS, hour6.downS, hour7.runS, hour7.downS], [50 * 60, 10 * 60, 50 * 60, 10 * 60]);
  t.is(shift.plannedS, 120 * 60);
  // 5,000 parts counted over 06:00–07:59 are spread evenly: 60/119 of them in hour 06, 59/119 in hour 07.
  t.deepEqual([hour6.total, hour7.total, shift.total], [2521, 2479, 5000]);
  t.deepEqual(shift.downtimeByReason, { jam: 20 * 60 });
});

test('a ratio with a zero denominator is null, never NaN', (t) => {
  const result = oeeOf(alwaysPlannedUtc, [state(0, 'PLANNED_STOP'), { kind: 'Close', ts: at(3) }], 1.0);
  t.is(result.plannedS, 0);
  t.is(result.availability, null);
  t.is(result.performance, null);
  t.is(result.quality, null);
  t.is(result.oee, null);
});

test('performance above 1 is reported as a configuration warning, not clamped', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [state(0, 'RUNNING'), counts(0, 0, 0), counts(4, 480, 0), { kind: 'Close', ts: at(4) }],
    1.0,
  );
  t.is(result.performance, 2);
  t.regex(result.warnings[0] ?? '', /idealCycleTimeS/);
});

const HOUR = 3_600_000;
const anyEvent = oeeEvent({ hours: 72, windowOpened: true });

testProp(
  'every millisecond and count booked into the whole range is in exactly one hour window, for events in any order (a closed window booked again is reopened, not lost) (300 runs)',
  [fc.array(anyEvent, { maxLength: 40 })],
  (t, events) => {
    const projection = foldOee({ calendar: dailyShiftUtc('early', '06:00', '14:00'), microStopMs: 120_000 }, events);
    t.deepEqual(
      Object.keys(projection.openWindows).filter((key) => key in projection.closedWindows),
      [],
    );
    const windows = oeeWindows(projection);
    const all = windows[WHOLE_RANGE];
    const hours = Object.entries(windows)
      .filter(([key]) => key.startsWith('hour:'))
      .map(([, totals]) => totals);
    const sum = (pick: (w: NonNullable<typeof all>) => number) => hours.reduce((a, w) => a + pick(w), 0);
    t.deepEqual(
      [
        sum((w) => w.runMs),
        sum((w) => w.downMs),
        sum((w) => w.plannedStopMs),
        sum((w) => w.total),
        sum((w) => w.reject),
      ],
      all === undefined ? [0, 0, 0, 0, 0] : [all.runMs, all.downMs, all.plannedStopMs, all.total, all.reject],
    );
  },
  { numRuns: 300 },
);

// Counts in data gaps: a counter delta is spread evenly over the time since the previous counts
// reading, and the share that falls in a data gap is reported as countsInGap, not booked to A·P·Q.
const SECOND = 1000;
const countsAt = (seconds: number, total: number): MachineCommand => ({
  kind: 'Observe',
  observation: { kind: 'counts', messageId: `c${nextId++}`, ts: T0 + seconds * SECOND, total, reject: 0 },
});

test("a press at 90 % of ideal speed through a 30-minute network outage, its PLC counting on, shows performance 0.9 (was 1.137) and the outage's parts as countsInGap", (t) => {
  // Counts every 10 s at 0.9 parts/s, 06:00–08:00, nothing heard 06:45–07:15: the 07:15 reading carries the outage's 1,620 parts.
  const readings = Array.from({ length: 720 }, (_, i) => (i + 1) * 10).filter((s) => s <= 45 * 60 || s >= 75 * 60);
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      { kind: 'Open', ts: T0 },
      state(0, 'RUNNING'),
      countsAt(0, 0),
      ...readings.map((s) => countsAt(s, Math.round(0.9 * s))),
      { kind: 'Close', ts: at(120) },
    ],
    1.0,
  );
  // Last heard 06:45, timeout 5 min: gap 06:50–07:15 (25 of the 30 minutes the 07:15 reading covers).
  t.is(result.dataGapS, 25 * 60);
  t.is(result.runS, 95 * 60);
  t.deepEqual(result.countsInGap, { total: 1350, good: 1350 });
  t.is(result.total + result.countsInGap.total, 6480);
  t.is(result.performance!.toFixed(3), '0.900');
  t.is(result.oee!.toFixed(3), '0.900');
  t.true(
    result.warnings.some((w) => w.includes('1350 parts')),
    result.warnings.join('; '),
  );
});

test('a device that reports its state on change and counts every 30 minutes has OEE 0.9 with the default heartbeat (was 5.4)', (t) => {
  const result = oeeOf(
    alwaysPlannedUtc,
    [
      state(0, 'RUNNING'),
      ...Array.from({ length: 9 }, (_, i) => countsAt(i * 1800, i * 1620)),
      { kind: 'Close', ts: at(240) },
    ],
    1.0,
  );
  // Each reading is a heartbeat: 5 minutes of RUNNING, then 25 minutes of gap, eight times.
  t.is(result.runS, 8 * 5 * 60);
  t.is(result.total, 8 * 270);
  t.is(result.countsInGap.total, 8 * 1350);
  t.is(result.oee!.toFixed(3), '0.900');
  t.is(result.performance!.toFixed(3), '0.900');
});

test('counts spread across an hour boundary split between the hours in proportion to time', (t) => {
  const { events } = runMachine(machine, [
    state(50, 'RUNNING'),
    counts(50, 0, 0),
    ...heartbeats(50, 70),
    counts(70, 200, 20),
    { kind: 'Close', ts: at(70) },
  ]);
  const windows = oeeWindows(foldOee({ calendar: alwaysPlannedUtc, microStopMs: 120_000 }, events));
  const hour6 = windows[hourWindow(alwaysPlannedUtc.hourKey(at(50)))]!;
  const hour7 = windows[hourWindow(alwaysPlannedUtc.hourKey(at(65)))]!;
  t.deepEqual([hour6.total, hour6.reject, hour7.total, hour7.reject], [100, 10, 100, 10]);
});

const ANY_MACHINE = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 120_000 };
testProp(
  "no window's availability, quality or OEE exceeds 1 unless a warning says why, and countsInGap plus booked counts equal the counter deltas (300 runs)",
  [timeline(60), fc.constantFrom(0.5, 1, 4, 30), fc.boolean()],
  (t, observations, idealCycleTimeS, shifts) => {
    const end = observations.at(-1)!.ts + 60_000;
    const { events } = runMachine(ANY_MACHINE, [
      { kind: 'Open', ts: T0 },
      ...observations.map((o): MachineCommand => ({ kind: 'Observe', observation: o })),
      { kind: 'Close', ts: end },
    ]);
    const calendar = shifts ? dailyShiftUtc('early', '06:00', '07:30', [['06:40', '06:50']]) : alwaysPlannedUtc;
    const windows = oeeWindows(foldOee({ calendar, microStopMs: 120_000 }, events));
    for (const [key, totals] of Object.entries(windows)) {
      const r = oeeForWindow(totals, idealCycleTimeS);
      for (const ratio of [r.availability, r.quality, r.oee]) {
        if (ratio !== null && ratio > 1) t.true(r.warnings.length > 0, `${key}: ${JSON.stringify(r)}`);
      }
    }
    const deltas = events
      .filter((e) => e.type === 'CountsAdvanced')
      .reduce((a, e) => ({ total: a.total + e.totalDelta, reject: a.reject + e.rejectDelta }), { total: 0, reject: 0 });
    const all = windows[WHOLE_RANGE];
    t.deepEqual(
      { total: (all?.total ?? 0) + (all?.gapTotal ?? 0), reject: (all?.reject ?? 0) + (all?.gapReject ?? 0) },
      deltas,
    );
    const hours = Object.entries(windows)
      .filter(([key]) => key.startsWith('hour:'))
      .map(([, w]) => w);
    t.is(
      hours.reduce((a, w) => a + w.total + w.gapTotal, 0),
      deltas.total,
      'the hours hold every part too',
    );
  },
  { numRuns: 300 },
);

test("across Chicago's DST fall-back each hour window is one real hour: the repeated 01:00 is two windows keyed by offset", (t) => {
  const site = decodeSiteConfig({ version: 1, factories: [{ id: 'f1', timezone: 'America/Chicago', lines: [] }] });
  if (E.isLeft(site)) return t.fail(site.left.join('; '));
  const calendar = factoryCalendar(site.right, 'America/Chicago');
  const from = Date.UTC(2026, 10, 1, 4, 0); // 23:00 CDT on Oct 31
  const observe = (ms: number): MachineCommand => ({
    kind: 'Observe',
    observation: { kind: 'telemetry', messageId: `t${nextId++}`, ts: ms, metrics: { spindle_temp: 60 } },
  });
  const { events } = runMachine(machine, [
    {
      kind: 'Observe',
      observation: { kind: 'state', messageId: `s${nextId++}`, ts: from, state: 'RUNNING', reason: null },
    },
    ...Array.from({ length: 60 }, (_, i) => observe(from + (i + 1) * 4 * MIN)),
    { kind: 'Close', ts: from + 4 * HOUR },
  ]);
  const windows = oeeWindows(foldOee({ calendar, microStopMs: 120_000 }, events));
  const hours = Object.keys(windows)
    .filter((key) => key.startsWith('hour:'))
    .sort((a, b) => Date.parse(a.slice(5)) - Date.parse(b.slice(5)));
  t.deepEqual(hours, [
    'hour:2026-10-31T23:00-05:00',
    'hour:2026-11-01T00:00-05:00',
    'hour:2026-11-01T01:00-05:00',
    'hour:2026-11-01T01:00-06:00',
  ]);
  t.deepEqual(
    hours.map((key) => windows[key]!.runMs / 1000),
    [3600, 3600, 3600, 3600],
  );
});
