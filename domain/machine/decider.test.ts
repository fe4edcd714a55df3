import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { arrivalOrder, timeline, T0 } from '../../testing/domain/machineTimelines.ts';
import { alwaysPlannedUtc } from '../oee/calendar.ts';
import { foldOee, oeeWindows } from '../oee/oeeProjection.ts';
import { oeeForWindow } from '../oee/oeeForWindow.ts';
import { foldMachineEvents, machineDecider, type MachineCommand } from './decider.ts';
import type { MachineEvent } from './events.ts';
import { compareObservations, type Observation } from './observation.ts';
import type { WindowTotals } from '../oee/windowTotals.ts';
import { runMachine } from './runMachine.ts';
import { deciderSpecification } from '../../testing/domain/deciderSpecification.ts';

const config = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 };
const decider = machineDecider(config);
const { initialState } = decider;
const RUNS = { numRuns: 300 };
const SETTLED = new Set([
  'StateChanged',
  'StateConfirmed',
  'CountsAdvanced',
  'SampleRecorded',
  'JobStarted',
  'HeartbeatMissed',
  'WindowClosed',
]);

const observeAll = (observations: readonly Observation[], endTs: number): MachineCommand[] => [
  { kind: 'Open', ts: T0 },
  ...observations.map((observation): MachineCommand => ({ kind: 'Observe', observation })),
  { kind: 'Close', ts: endTs },
];
const endOf = (observations: readonly Observation[]): number => Math.max(T0, ...observations.map((o) => o.ts)) + 60_000;
const settled = (events: readonly MachineEvent[]) => events.filter((e) => SETTLED.has(e.type));
const oee = (events: readonly MachineEvent[]) =>
  oeeWindows(foldOee({ calendar: alwaysPlannedUtc, microStopMs: 120_000 }, events));

testProp(
  'any arrival order within the allowed lateness, with redeliveries, settles the same events and the same OEE (300 runs)',
  [
    timeline().chain((observations) =>
      fc.tuple(fc.constant(observations), arrivalOrder(observations, config.allowedLatenessMs)),
    ),
  ],
  (t, [inOrder, arrived]) => {
    const reference = runMachine(config, observeAll(inOrder, endOf(inOrder)));
    const shuffled = runMachine(config, observeAll(arrived, endOf(inOrder)));
    t.deepEqual(settled(shuffled.events), settled(reference.events));
    t.deepEqual(oee(shuffled.events), oee(reference.events));
    const count = (type: string) => shuffled.events.filter((e) => e.type === type).length;
    t.is(count('ObservationAccepted'), inOrder.length);
    t.is(count('ObservationDuplicate'), arrived.length - inOrder.length);
    t.is(count('ObservationTooLate'), 0);
  },
  RUNS,
);

testProp(
  'the state is the fold of the events: rebuilding from the stored events gives the live state (300 runs)',
  [timeline(), fc.nat()],
  (t, observations, cut) => {
    const commands = observeAll(observations, endOf(observations));
    const live = runMachine(config, commands);
    t.deepEqual(foldMachineEvents(live.events), live.state);
    // A snapshot taken anywhere and the events after it give the same state too.
    const at = cut % (live.events.length + 1);
    t.deepEqual(foldMachineEvents(live.events.slice(at), foldMachineEvents(live.events.slice(0, at))), live.state);
  },
  RUNS,
);

testProp(
  'settling in one step gives the state the events fold to, for any arrival order, redeliveries and clock ticks (300 runs)',
  [
    timeline().chain((observations) =>
      fc.tuple(arrivalOrder(observations, config.allowedLatenessMs), fc.array(fc.nat(40), { maxLength: 6 })),
    ),
  ],
  (t, [arrived, ticks]) => {
    const commands: MachineCommand[] = arrived.map((observation): MachineCommand => ({ kind: 'Observe', observation }));
    // A clock tick after some arrivals, a little past the newest reading so far.
    for (const at of [...ticks].sort((a, b) => b - a)) {
      const cut = at % (commands.length + 1);
      const newest = Math.max(T0, ...arrived.slice(0, cut).map((o) => o.ts));
      commands.splice(cut, 0, { kind: 'AdvanceClock', ts: newest + (at % 7) * 120_000 });
    }
    const live = runMachine(config, [{ kind: 'Open', ts: T0 }, ...commands, { kind: 'Close', ts: endOf(arrived) }]);
    t.deepEqual(foldMachineEvents(live.events), live.state);
  },
  RUNS,
);

testProp(
  'deciding is deterministic: the same commands give the same events, byte for byte (200 runs)',
  [timeline()],
  (t, observations) => {
    const commands = observeAll(observations, endOf(observations));
    t.is(JSON.stringify(runMachine(config, commands).events), JSON.stringify(runMachine(config, commands).events));
  },
  { numRuns: 200 },
);

testProp(
  'settled events come out in time order and each accepted message settles exactly once (300 runs)',
  [timeline().chain((observations) => arrivalOrder(observations, config.allowedLatenessMs))],
  (t, arrived) => {
    const { events } = runMachine(config, observeAll(arrived, endOf(arrived)));
    const settledEvents = settled(events).filter((e) => e.type !== 'WindowClosed' && e.type !== 'HeartbeatMissed') as {
      ts: number;
      messageId: string;
    }[];
    t.true(settledEvents.every((e, i) => i === 0 || settledEvents[i - 1]!.ts <= e.ts));
    const accepted = events
      .filter((e) => e.type === 'ObservationAccepted')
      .map((e) => (e as { observation: Observation }).observation.messageId)
      .sort();
    t.deepEqual(settledEvents.map((e) => e.messageId).sort(), accepted);
  },
  RUNS,
);

testProp(
  'received = accepted + duplicates + too late, for any arrival order at all (300 runs)',
  [
    timeline().chain((observations) =>
      fc.shuffledSubarray([...observations, ...observations.slice(0, 5)], { minLength: 0 }),
    ),
  ],
  (t, arrived) => {
    const { events } = runMachine(
      config,
      arrived.map((observation): MachineCommand => ({ kind: 'Observe', observation })),
    );
    const count = (type: string) => events.filter((e) => e.type === type).length;
    t.is(count('ObservationAccepted') + count('ObservationDuplicate') + count('ObservationTooLate'), arrived.length);
  },
  RUNS,
);

testProp(
  'OEE equals ideal cycle × good / planned time, and A × P × Q where all three are defined (300 runs)',
  [timeline(), fc.double({ min: 0.1, max: 30, noNaN: true })],
  (t, observations, idealCycleTimeS) => {
    const windows = oee(runMachine(config, observeAll(observations, endOf(observations))).events);
    for (const totals of Object.values(windows)) {
      const r = oeeForWindow(totals, idealCycleTimeS);
      if (r.plannedS === 0) {
        t.is(r.oee, null);
        continue;
      }
      t.true(Math.abs(r.oee! - (idealCycleTimeS * r.good) / r.plannedS) <= 1e-9 * Math.max(1, Math.abs(r.oee!)));
      if (r.availability !== null && r.performance !== null && r.quality !== null) {
        t.true(Math.abs(r.availability * r.performance * r.quality - r.oee!) <= 1e-9 * Math.max(1, r.oee!));
      }
      t.true(r.availability! >= 0 && r.availability! <= 1);
      if (r.quality !== null) t.true(r.quality >= 0 && r.quality <= 1);
    }
  },
  RUNS,
);

testProp(
  'downtime by reason adds up to the unplanned stop time, and the hours add up to the whole range (300 runs)',
  [timeline()],
  (t, observations) => {
    const windows = oee(runMachine(config, observeAll(observations, endOf(observations))).events);
    const all = windows['all'];
    if (all === undefined) return t.pass();
    t.is(
      Object.values(all.downByReason).reduce((a, b) => a + b, 0),
      all.downMs,
    );
    const hours = Object.entries(windows)
      .filter(([key]) => key.startsWith('hour:'))
      .map(([, totals]) => totals);
    const sum = (pick: (w: WindowTotals) => number) => hours.reduce((a, w) => a + pick(w), 0);
    t.deepEqual(
      [sum((w) => w.runMs), sum((w) => w.downMs), sum((w) => w.dataGapMs), sum((w) => w.total), sum((w) => w.reject)],
      [all.runMs, all.downMs, all.dataGapMs, all.total, all.reject],
    );
  },
  RUNS,
);

testProp(
  'counted production (booked, plus counted in data gaps) is the sum of counter increases, a decrease counting as a reset from zero (300 runs)',
  [timeline()],
  (t, observations) => {
    const windows = oee(runMachine(config, observeAll(observations, endOf(observations))).events);
    let expected = 0;
    let previous: number | null = null;
    let previousReject = 0;
    // In the order readings settle (time, then kind, then message id): counts sharing a millisecond are taken by id.
    for (const o of [...observations].sort(compareObservations)) {
      if (o.kind !== 'counts') continue;
      if (previous !== null) expected += o.total < previous || o.reject < previousReject ? o.total : o.total - previous;
      previous = o.total;
      previousReject = o.reject;
    }
    t.is((windows['all']?.total ?? 0) + (windows['all']?.gapTotal ?? 0), expected);
  },
  RUNS,
);

const given = deciderSpecification(decider);
const accepted = (observation: Observation): MachineEvent => ({ type: 'ObservationAccepted', observation });

test('a message older than the newest by more than the allowed lateness is refused with a reason that says so', (t) => {
  const newer: Observation = { kind: 'telemetry', messageId: 'a', ts: T0 + 3_600_000, metrics: { x: 1 } };
  const older: Observation = { kind: 'telemetry', messageId: 'b', ts: T0, metrics: { x: 1 } };
  given([accepted(newer)])
    .when({ kind: 'Observe', observation: older })
    .then(t, [
      {
        type: 'ObservationTooLate',
        messageId: 'b',
        ts: T0,
        reason:
          'too late: 2026-11-25T06:00:00.000Z is older than the newest message (2026-11-25T07:00:00.000Z) by more than allowedLatenessS 600',
      },
    ]);
});

test('a redelivered message is a duplicate and changes nothing', (t) => {
  const observation: Observation = { kind: 'counts', messageId: 'c1', ts: T0, total: 10, reject: 0 };
  given([accepted(observation)])
    .when({ kind: 'Observe', observation })
    .then(t, [{ type: 'ObservationDuplicate', messageId: 'c1', ts: T0 }]);
  const first = decider.decideAndEvolve({ kind: 'Observe', observation }, initialState);
  t.deepEqual(decider.decideAndEvolve({ kind: 'Observe', observation }, first.state).state, first.state);
});

test('an Open at or after the window already opened decides nothing; an earlier one opens it earlier', (t) => {
  given([{ type: 'WindowOpened', ts: T0 }])
    .when({ kind: 'Open', ts: T0 + 1 })
    .thenNothingHappened(t);
  given([{ type: 'WindowOpened', ts: T0 }])
    .when({ kind: 'Open', ts: T0 - 1 })
    .then(t, [{ type: 'WindowOpened', ts: T0 - 1 }]);
});

test('a clock tick settles what is older than the allowed lateness, then says the time has passed', (t) => {
  const observation: Observation = { kind: 'state', messageId: 's1', ts: T0, state: 'RUNNING', reason: null };
  const tick = T0 + config.allowedLatenessMs + 1;
  given([accepted(observation)])
    .when({ kind: 'AdvanceClock', ts: tick })
    .then(t, [
      { type: 'StateChanged', ts: T0, messageId: 's1', state: 'RUNNING', reason: null, previous: null },
      { type: 'ClockAdvanced', ts: tick },
    ]);
});

test('a reading stamped further ahead of its receipt than the allowed lateness is refused: a device clock running ahead', (t) => {
  const ahead: Observation = { kind: 'telemetry', messageId: 'f', ts: T0 + 3_600_000, metrics: { x: 1 } };
  const run = decider.decideAndEvolve({ kind: 'Observe', observation: ahead, receivedAt: T0 }, initialState);
  t.is(run.events[0]?.type, 'ObservationTooLate');
  t.regex((run.events[0] as { reason: string }).reason, /from the future: .* check the device's clock/);
  t.is(run.state.newestTs, null, 'the watermark did not move');
  const onTime = decider.decideAndEvolve(
    {
      kind: 'Observe',
      observation: ahead,
      receivedAt: T0 + 3_600_000 - 1000,
    },
    initialState,
  );
  t.is(onTime.events[0]?.type, 'ObservationAccepted');
});
