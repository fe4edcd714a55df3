import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import type { MachineEvent } from '../machine/events.ts';
import { runMachine } from '../machine/runMachine.ts';
import type { MachineCommand } from '../machine/decider.ts';
import type { Observation } from '../machine/observation.ts';
import { dailyShiftUtc, T0 } from '../test/machineTimelines.ts';
import { alwaysPlannedUtc, type ProductionCalendar } from './calendar.ts';
import { oeeForWindow } from './oeeForWindow.ts';
import { foldOee, oeeWindow, oeeWindows, shiftWindow, WHOLE_RANGE, hourWindow } from './oeeProjection.ts';

const MIN = 60_000;
const at = (minutes: number): number => T0 + minutes * MIN; // T0 is 2026-11-25T06:00Z
const machine = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 };
let nextId = 0;
const state = (minutes: number, s: Extract<Observation, { kind: 'state' }>['state'], reason: string | null = null): MachineCommand =>
  ({ kind: 'Observe', observation: { kind: 'state', messageId: `s${nextId++}`, ts: at(minutes), state: s, reason } });
const counts = (minutes: number, total: number, reject: number): MachineCommand =>
  ({ kind: 'Observe', observation: { kind: 'counts', messageId: `c${nextId++}`, ts: at(minutes), total, reject } });
const sample = (minutes: number): MachineCommand =>
  ({ kind: 'Observe', observation: { kind: 'telemetry', messageId: `t${nextId++}`, ts: at(minutes), metrics: { spindle_temp: 60 } } });

const oeeOf = (calendar: ProductionCalendar, commands: MachineCommand[], idealCycleTimeS: number, window = WHOLE_RANGE, microStopMs = 120_000) => {
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
  const calendar = dailyShiftUtc('early', '06:00', '14:00', [['09:00', '09:15'], ['11:00', '11:30'], ['12:30', '12:45']]);
  const result = oeeOf(calendar, [
    { kind: 'Open', ts: at(0) },
    state(0, 'RUNNING'), counts(0, 0, 0),
    ...heartbeats(0, 60),
    state(60, 'DOWN', 'jam'), ...heartbeats(60, 107),
    state(107, 'RUNNING'), ...heartbeats(107, 480),
    counts(480, 19_271, 423),
    { kind: 'Close', ts: at(480) },
  ], 1.0);
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
  const result = oeeOf(alwaysPlannedUtc, [
    state(0, 'PLANNED_STOP'), counts(0, 0, 0), ...heartbeats(0, 460),
    state(460, 'DOWN', 'unscheduled'), ...heartbeats(460, 1420),
    state(1420, 'RUNNING'), ...heartbeats(1420, 3240),
    counts(3240, 1626, 8),
    { kind: 'Close', ts: at(3240) },
  ], 60 / 1.041);
  t.is(result.plannedS, 2780 * 60);
  t.is(result.availability!.toFixed(3), '0.655');
  t.is(result.performance!.toFixed(3), '0.858');
  t.is(result.quality!.toFixed(3), '0.995');
  t.is(result.oee!.toFixed(3), '0.559');
});

test('a stop shorter than the micro-stop threshold counts as run time and shows as performance loss', (t) => {
  const result = oeeOf(alwaysPlannedUtc, [
    state(0, 'RUNNING'), counts(0, 0, 0), ...heartbeats(0, 10),
    state(10, 'DOWN', 'jam'), state(11, 'RUNNING'), // one minute: under the 2 minute threshold
    ...heartbeats(11, 20),
    state(20, 'DOWN', 'jam'), ...heartbeats(20, 24), state(25, 'RUNNING'), // five minutes: a real stop
    ...heartbeats(25, 60), counts(60, 3000, 0),
    { kind: 'Close', ts: at(60) },
  ], 1.0);
  t.is(result.plannedS, 3600);
  t.is(result.runS, 55 * 60);
  t.is(result.downS, 5 * 60);
  t.deepEqual(result.downtimeByReason, { jam: 300 });
  t.is(result.availability!.toFixed(4), (55 / 60).toFixed(4));
});

test('silence past the heartbeat timeout is a data gap, excluded from planned time; the last state resumes with the next message', (t) => {
  const result = oeeOf(alwaysPlannedUtc, [
    state(0, 'RUNNING'), counts(0, 0, 0), sample(4), sample(8), // then nothing for 22 minutes
    sample(30), ...heartbeats(30, 60), counts(60, 100, 10),
    { kind: 'Close', ts: at(60) },
  ], 1.0);
  // Last heard 06:08, timeout 5 min → gap 06:13–06:30 (17 min); RUNNING 06:00–06:13 and 06:30–07:00.
  t.is(result.dataGapS, 17 * 60);
  t.is(result.plannedS, 43 * 60);
  t.is(result.runS, 43 * 60);
  t.is(result.good, 90);
});

test('time before the first state is a data gap, and so is the time after the last message plus the timeout', (t) => {
  const result = oeeOf(alwaysPlannedUtc, [
    { kind: 'Open', ts: at(0) }, sample(5), state(10, 'RUNNING'), sample(14), { kind: 'Close', ts: at(60) },
  ], 1.0);
  t.is(result.dataGapS, (10 + (60 - 19)) * 60);
  t.is(result.runS, 9 * 60);
});

test('a counter that goes down was reset: production after the reset still counts', (t) => {
  const result = oeeOf(alwaysPlannedUtc, [
    state(0, 'RUNNING'), counts(0, 500, 5), counts(2, 600, 6), counts(4, 40, 1), counts(6, 90, 2), { kind: 'Close', ts: at(6) },
  ], 1.0);
  // 500→600: +100/+1; reset to 40/1: +40/+1; 40→90: +50/+1.
  t.is(result.total, 190);
  t.is(result.good, 187);
});

test('planned stops and time outside shifts are not planned time; breaks are not either', (t) => {
  const calendar = dailyShiftUtc('early', '06:00', '08:00', [['07:00', '07:30']]);
  const result = oeeOf(calendar, [
    state(-60, 'RUNNING'), ...heartbeats(-60, 0), ...heartbeats(0, 20),
    state(20, 'PLANNED_STOP'), ...heartbeats(20, 40), state(40, 'RUNNING'), ...heartbeats(40, 180),
    { kind: 'Close', ts: at(180) },
  ], 1.0);
  // Shift 06:00–08:00 minus break 07:00–07:30 = 90 min scheduled; 20 min planned stop → 70 min planned.
  t.is(result.plannedS, 70 * 60);
  t.is(result.availability, 1);
});

test('per-shift and per-hour windows split the same time as the whole range', (t) => {
  const calendar = dailyShiftUtc('early', '06:00', '08:00');
  const commands: MachineCommand[] = [state(0, 'RUNNING'), counts(0, 0, 0), ...heartbeats(0, 50), state(50, 'DOWN', 'jam'), ...heartbeats(50, 70), state(70, 'RUNNING'), ...heartbeats(70, 120), counts(119, 5000, 50), { kind: 'Close', ts: at(120) }];
  const { events } = runMachine(machine, commands);
  const windows = oeeWindows(foldOee({ calendar, microStopMs: 120_000 }, events));
  const hour6 = oeeForWindow(windows[hourWindow('2026-11-25T06')]!, 1);
  const hour7 = oeeForWindow(windows[hourWindow('2026-11-25T07')]!, 1);
  const shift = oeeForWindow(windows[shiftWindow('2026-11-25/early')]!, 1);
  t.deepEqual([hour6.runS, hour6.downS, hour7.runS, hour7.downS], [50 * 60, 10 * 60, 50 * 60, 10 * 60]);
  t.is(shift.plannedS, 120 * 60);
  t.is(hour7.total, 5000);
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
  const result = oeeOf(alwaysPlannedUtc, [state(0, 'RUNNING'), counts(0, 0, 0), counts(4, 480, 0), { kind: 'Close', ts: at(4) }], 1.0);
  t.is(result.performance, 2);
  t.regex(result.warnings[0] ?? '', /idealCycleTimeS/);
});

const HOUR = 3_600_000;
const anyEvent: fc.Arbitrary<MachineEvent> = fc.integer({ min: 0, max: 72 * HOUR }).chain((offset) => {
  const ts = T0 + offset;
  return fc.oneof(
    fc.constantFrom('RUNNING', 'DOWN', 'PLANNED_STOP').map((s): MachineEvent => ({ type: 'StateChanged', ts, messageId: `s${offset}`, state: s, reason: null, previous: null })),
    fc.nat(50).map((n): MachineEvent => ({ type: 'CountsAdvanced', ts, messageId: `c${offset}`, total: n, reject: 0, totalDelta: n, rejectDelta: n % 3, kind: 'advance' })),
    fc.constant<MachineEvent>({ type: 'HeartbeatMissed', ts, lastHeardTs: ts }),
    fc.constant<MachineEvent>({ type: 'WindowOpened', ts }),
  );
});

testProp('every millisecond and count booked into the whole range is in exactly one hour window, for events in any order (a closed window booked again is reopened, not lost) (300 runs)',
  [fc.array(anyEvent, { maxLength: 40 })],
  (t, events) => {
    const projection = foldOee({ calendar: dailyShiftUtc('early', '06:00', '14:00'), microStopMs: 120_000 }, events);
    t.deepEqual(Object.keys(projection.openWindows).filter((key) => key in projection.closedWindows), []);
    const windows = oeeWindows(projection);
    const all = windows[WHOLE_RANGE];
    const hours = Object.entries(windows).filter(([key]) => key.startsWith('hour:')).map(([, totals]) => totals);
    const sum = (pick: (w: NonNullable<typeof all>) => number) => hours.reduce((a, w) => a + pick(w), 0);
    t.deepEqual([sum((w) => w.runMs), sum((w) => w.downMs), sum((w) => w.plannedStopMs), sum((w) => w.total), sum((w) => w.reject)],
      all === undefined ? [0, 0, 0, 0, 0] : [all.runMs, all.downMs, all.plannedStopMs, all.total, all.reject]);
  }, { numRuns: 300 });
