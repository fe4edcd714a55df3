import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineCommand } from '../machine/decider.ts';
import { decisionsOf } from '../machine/decisions.ts';
import type { DowntimeClassified, MachineEvent } from '../machine/events.ts';
import { runMachine } from '../machine/runMachine.ts';
import { oeeForWindow } from '../oee/oeeForWindow.ts';
import { foldOee, oeeWindows, type OeeConfig, type OeeProjectionState } from '../oee/oeeProjection.ts';
import type { ReasonConfig } from '../site/reasonCatalog.ts';
import { dailyShiftUtc, T0, timeline } from '../../testing/domain/machineTimelines.ts';
import { applyClassifications, decideClassification, unclassifiedStops } from './classification.ts';
import { stopsOf } from './stops.ts';

const machine = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 };
// A shift with a break, so stops cross hours, the break and the shift's end.
const config: OeeConfig = {
  calendar: dailyShiftUtc('early', '06:00', '14:00', [['09:00', '09:30']]),
  microStopMs: 120_000,
};
const catalog: ReasonConfig[] = [
  { code: 'jam', category: 'idlingAndMinorStops' },
  { code: 'tool_failure', category: 'equipmentFailure', name: 'Tool failure' },
  { code: 'changeover', category: 'setupAndAdjustments' },
  { code: 'slow_feed', category: 'reducedSpeed' },
];
const CODES = ['jam', 'tool_failure', 'changeover'] as const;

/** A machine's decisions for an arbitrary timeline, its window closed after the last observation. */
const decisions = timeline(80).map((observations): readonly MachineEvent[] => {
  const end = Math.max(...observations.map((o) => o.ts)) + 600_000;
  const commands: MachineCommand[] = [
    { kind: 'Open', ts: T0 },
    ...observations.map((observation): MachineCommand => ({ kind: 'Observe', observation })),
    { kind: 'Close', ts: end },
  ];
  return decisionsOf(runMachine(machine, commands).events, false);
});

const classification = (ts: number, reason: string, classifiedAt = 0): DowntimeClassified => ({
  type: 'DowntimeClassified',
  ts,
  reason,
  classifiedAt,
  by: null,
});

/** Every window's numbers, reasons in a fixed order: what the summary shows of a projection. */
const numbers = (oee: OeeProjectionState) =>
  Object.fromEntries(
    Object.entries(oeeWindows(oee))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, totals]) => [key, oeeForWindow(totals, 1)]),
  );

testProp(
  'classifying a stop gives what the projection books had its state message carried that reason (300 runs)',
  [decisions, fc.nat(), fc.constantFrom(...CODES)],
  (t, events, pick, reason) => {
    const stops = stopsOf(events);
    fc.pre(stops.length > 0);
    const stop = stops[pick % stops.length]!;
    const relabelled = events.map((e) => (e.type === 'StateChanged' && e.ts === stop.startTs ? { ...e, reason } : e));
    const classified = applyClassifications(config, foldOee(config, events), stops, [
      classification(stop.startTs, reason),
    ]);
    t.deepEqual(numbers(classified), numbers(foldOee(config, relabelled)));
  },
  { numRuns: 300 },
);

testProp(
  'classification moves seconds between reasons but never changes planned, run or down time, availability or OEE (200 runs)',
  [decisions, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CODES)), { maxLength: 5 })],
  (t, events, picks) => {
    const stops = stopsOf(events);
    fc.pre(stops.length > 0);
    const before = numbers(foldOee(config, events));
    const after = numbers(
      applyClassifications(
        config,
        foldOee(config, events),
        stops,
        picks.map(([pick, reason]) => classification(stops[pick % stops.length]!.startTs, reason)),
      ),
    );
    t.deepEqual(Object.keys(after), Object.keys(before));
    for (const [key, w] of Object.entries(after)) {
      const { downtimeByReason: _after, ...rest } = w;
      const { downtimeByReason: _before, ...restBefore } = before[key]!;
      t.deepEqual(rest, restBefore);
      const sum = Object.values(w.downtimeByReason).reduce((a, b) => a + b, 0);
      t.true(Math.abs(sum - w.downS) < 1e-6);
      t.true(Object.values(w.downtimeByReason).every((s) => s > 0));
    }
  },
  { numRuns: 200 },
);

testProp(
  'classifying a stop twice: the last wins (200 runs)',
  [decisions, fc.nat(), fc.constantFrom(...CODES), fc.constantFrom(...CODES)],
  (t, events, pick, first, last) => {
    const stops = stopsOf(events);
    fc.pre(stops.length > 0);
    const ts = stops[pick % stops.length]!.startTs;
    const oee = foldOee(config, events);
    t.deepEqual(
      numbers(applyClassifications(config, oee, stops, [classification(ts, first, 1), classification(ts, last, 2)])),
      numbers(applyClassifications(config, oee, stops, [classification(ts, last, 2)])),
    );
  },
  { numRuns: 200 },
);

const at = (minutes: number): number => T0 + minutes * 60_000; // T0 is 2026-11-25T06:00Z
const downAt10To40: MachineEvent[] = [
  { type: 'WindowOpened', ts: at(0) },
  { type: 'StateChanged', ts: at(0), messageId: 'a', state: 'RUNNING', reason: null, previous: null },
  { type: 'StateChanged', ts: at(10), messageId: 'b', state: 'DOWN', reason: null, previous: 'RUNNING' },
  { type: 'StateChanged', ts: at(40), messageId: 'c', state: 'RUNNING', reason: null, previous: 'DOWN' },
  { type: 'StateChanged', ts: at(50), messageId: 'd', state: 'IDLE', reason: 'jam', previous: 'RUNNING' },
  { type: 'StateChanged', ts: at(51), messageId: 'e', state: 'RUNNING', reason: null, previous: 'IDLE' },
  { type: 'WindowClosed', ts: at(60) },
];
const request = (minutes: number, reason: string) => ({
  machine: 'f1/l1/m1',
  at: at(minutes),
  reason,
  by: 'anna',
  classifiedAt: Date.UTC(2026, 11, 3, 12),
});

test('a time inside a stop, or at its start, names that stop; the decision says who and when', (t) => {
  const stops = stopsOf(downAt10To40);
  for (const minutes of [10, 25, 39.99])
    t.deepEqual(decideClassification(catalog, stops, 120_000, request(minutes, 'tool_failure')), {
      _tag: 'Right',
      right: {
        type: 'DowntimeClassified',
        ts: at(10),
        reason: 'tool_failure',
        classifiedAt: Date.UTC(2026, 11, 3, 12),
        by: 'anna',
      },
    });
});

test('a time outside every stop, a micro-stop, an unknown code, a speed loss or no catalog is refused with the field and what to do', (t) => {
  const stops = stopsOf(downAt10To40);
  const problem = (result: ReturnType<typeof decideClassification>) => (E.isLeft(result) ? result.left : undefined);
  t.deepEqual(problem(decideClassification(catalog, stops, 120_000, request(45, 'jam'))), {
    field: 'at',
    message:
      'f1/l1/m1 was not stopped (DOWN, SETUP or IDLE) at 2026-11-25T06:45:00.000Z; the nearest stops: DOWN 2026-11-25T06:10:00.000Z–2026-11-25T06:40:00.000Z, IDLE 2026-11-25T06:50:00.000Z–2026-11-25T06:51:00.000Z',
  });
  t.is(problem(decideClassification(catalog, stops, 120_000, request(50, 'jam')))?.field, 'at');
  t.regex(problem(decideClassification(catalog, stops, 120_000, request(50, 'jam')))!.message, /micro-stop threshold/);
  t.deepEqual(problem(decideClassification(catalog, stops, 120_000, request(20, 'gremlins'))), {
    field: 'reason',
    message: '"gremlins" is not in the site\'s reason catalog; use one of jam, tool_failure, changeover, slow_feed',
  });
  t.regex(
    problem(decideClassification(catalog, stops, 120_000, request(20, 'slow_feed')))!.message,
    /reducedSpeed loss/,
  );
  t.regex(problem(decideClassification(undefined, stops, 120_000, request(20, 'jam')))!.message, /no reason catalog/);
});

test("a heartbeat gap inside a stop is not the stop's time: the stop resumes when the machine is heard again", (t) => {
  const stops = stopsOf([
    { type: 'StateChanged', ts: at(0), messageId: 'a', state: 'DOWN', reason: null, previous: null },
    { type: 'HeartbeatMissed', ts: at(5), lastHeardTs: at(0) },
    {
      type: 'CountsAdvanced',
      ts: at(9),
      messageId: 'c',
      total: 1,
      reject: 0,
      totalDelta: 0,
      rejectDelta: 0,
      kind: 'baseline',
    },
    { type: 'StateChanged', ts: at(20), messageId: 'b', state: 'RUNNING', reason: null, previous: 'DOWN' },
  ]);
  t.deepEqual(stops, [
    {
      startTs: at(0),
      state: 'DOWN',
      reason: null,
      endTs: at(20),
      spans: [
        [at(0), at(5)],
        [at(9), at(20)],
      ],
      jobs: [],
    },
  ]);
});

test('the stops to classify: no reason from the state message, none given since, at least the given downtime', (t) => {
  const stops = stopsOf(downAt10To40);
  t.deepEqual(
    unclassifiedStops(stops, [], 120_000, 30 * 60_000).map((s) => s.startTs),
    [at(10)],
  );
  t.deepEqual(unclassifiedStops(stops, [], 120_000, 31 * 60_000), []);
  t.deepEqual(unclassifiedStops(stops, [classification(at(10), 'jam')], 120_000, 60_000), []);
});
