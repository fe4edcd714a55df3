import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { alwaysPlannedUtc } from '../oee/calendar.ts';
import type { Observation } from '../machine/observation.ts';
import { arrivalOrder, T0, timeline } from '../../testing/domain/machineTimelines.ts';
import {
  processMachineBatch,
  type MachineBatchResult,
  type MachineInput,
  type MachineProcessor,
} from './machineBatch.ts';
import {
  checkpointFromJson,
  checkpointToJson,
  initialCheckpoint,
  type MachineCheckpoint,
} from './machineCheckpoint.ts';
import { machineStream, type MachineStreamConfig } from './machineStream.ts';

const config: MachineStreamConfig = {
  machine: { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 },
  alerts: {
    allowedLatenessMs: 600_000,
    detectors: [
      { kind: 'threshold', metric: 'spindle_temp', above: 150, clearBelow: 120, forS: 30 },
      { kind: 'heartbeat', timeoutS: 300 },
    ],
  },
  oee: { calendar: alwaysPlannedUtc, microStopMs: 120_000 },
  idealCycleTimeS: 2,
};
const machine: MachineProcessor = { config, stream: machineStream(config) };
const RUNS = { numRuns: 200 };

/**
 * What a plant sends: a timeline in an arrival order the lateness allows, with redeliveries, a reading
 * stamped far ahead of its receipt now and then, some very late readings, and timer ticks; each
 * received a little after its time.
 */
const received = timeline(50)
  .chain((observations) =>
    fc.tuple(
      arrivalOrder(observations, 600_000),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('ahead', 'late', 'tick')), { maxLength: 5 }),
      fc.integer({ min: 0, max: 5_000 }),
    ),
  )
  .map(([arrived, extras, lag]): MachineInput[] => {
    const inputs: MachineInput[] = arrived.map((observation) => ({
      kind: 'message',
      observation,
      receivedAt: observation.ts + lag,
    }));
    for (const [k, kind] of extras) {
      const at = inputs.length === 0 ? 0 : k % inputs.length;
      const near = inputs[at];
      const base = near === undefined ? T0 : near.kind === 'message' ? near.receivedAt : T0;
      const odd: MachineInput =
        kind === 'tick'
          ? { kind: 'tick', ts: base + 30_000 }
          : {
              kind: 'message',
              receivedAt: base,
              observation: {
                kind: 'telemetry',
                messageId: `${kind}-${k}`,
                ts: kind === 'ahead' ? base + 3_600_000 : base - 3_600_000,
                metrics: { spindle_temp: 20 },
              },
            };
      inputs.splice(at, 0, odd);
    }
    return inputs;
  });

/** The inputs cut into batches at `cuts`, each batch on the checkpoint the one before left (through its JSON form, as a store keeps it). */
const inBatches = (inputs: readonly MachineInput[], cuts: readonly number[]) => {
  let checkpoint: MachineCheckpoint = initialCheckpoint(machine.stream);
  const results: MachineBatchResult[] = [];
  const bounds = [0, ...[...new Set(cuts.map((c) => c % (inputs.length + 1)))].sort((a, b) => a - b), inputs.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const result = processMachineBatch(machine, checkpoint, inputs.slice(bounds[i], bounds[i + 1]));
    results.push(result);
    checkpoint = checkpointFromJson(JSON.parse(JSON.stringify(checkpointToJson(result.checkpoint))))!;
  }
  return {
    decisions: results.flatMap((r) => r.decisions),
    outcomes: results.flatMap((r) => r.outcomes),
    telemetry: results.flatMap((r) => r.telemetry),
    alerts: results.flatMap((r) => r.effects.filter((e) => e.kind === 'alert')),
    checkpoint: JSON.stringify(checkpointToJson(checkpoint)),
  };
};

testProp(
  'a batch split anywhere decides what the whole batch decides: decisions, outcomes, readings, alerts and checkpoint (200 runs)',
  [received, fc.array(fc.nat(), { maxLength: 6 })],
  (t, inputs, cuts) => {
    t.deepEqual(inBatches(inputs, cuts), inBatches(inputs, []));
  },
  RUNS,
);

testProp(
  'every input has one outcome, every message is accepted, a duplicate or refused, and the readings stored are the accepted telemetry (200 runs)',
  [received],
  (t, inputs) => {
    const result = processMachineBatch(machine, initialCheckpoint(machine.stream), inputs);
    t.is(result.outcomes.length, inputs.length);
    inputs.forEach((input, i) => t.is(result.outcomes[i]!.kind === 'time', input.kind !== 'message'));
    const accepted = inputs
      .filter((input, i) => input.kind === 'message' && result.outcomes[i]!.kind === 'accepted')
      .map((input) => (input as Extract<MachineInput, { kind: 'message' }>).observation);
    t.deepEqual(
      result.telemetry,
      accepted.filter((o): o is Extract<Observation, { kind: 'telemetry' }> => o.kind === 'telemetry'),
    );
    t.is(new Set(accepted.map((o) => o.messageId)).size, accepted.length, 'no message is accepted twice');
  },
  RUNS,
);

testProp(
  'the stream keeps decisions only: no acceptance, sample, confirmation or tick (200 runs)',
  [received],
  (t, inputs) => {
    const { decisions } = processMachineBatch(machine, initialCheckpoint(machine.stream), inputs);
    t.false(
      decisions.some(
        (e) => e.type === 'ObservationAccepted' || e.type === 'ObservationDuplicate' || e.type === 'ClockAdvanced',
      ),
    );
  },
  RUNS,
);

const message = (id: string, tsS: number, receivedS = tsS): MachineInput => ({
  kind: 'message',
  receivedAt: T0 + receivedS * 1000,
  observation: { kind: 'telemetry', messageId: id, ts: T0 + tsS * 1000, metrics: { spindle_temp: 60 } },
});

test('a reading stamped an hour ahead of its receipt is refused, and the honest readings after it are accepted', (t) => {
  const result = processMachineBatch(machine, initialCheckpoint(machine.stream), [
    message('a', 0),
    message('ahead', 3600, 5),
    message('b', 10),
    message('c', 20),
  ]);
  t.deepEqual(
    result.outcomes.map((o) => o.kind),
    ['accepted', 'tooLate', 'accepted', 'accepted'],
  );
  t.regex((result.outcomes[1] as { reason: string }).reason, /^from the future: /);
});

test('a redelivery is a duplicate within the dedup horizon, even across checkpoints, and refused as too late after it', (t) => {
  const first = processMachineBatch(machine, initialCheckpoint(machine.stream), [message('a', 0), message('b', 60)]);
  const stored = checkpointFromJson(JSON.parse(JSON.stringify(checkpointToJson(first.checkpoint))))!;
  const again = processMachineBatch(machine, stored, [
    message('a', 0, 1800),
    message('c', 7300),
    message('b', 60, 7301),
  ]);
  t.deepEqual(
    again.outcomes.map((o) => o.kind),
    ['duplicate', 'accepted', 'tooLate'],
  );
});

test('a message received after the heartbeat timer was due applies the timer first, as if it had fired', (t) => {
  const first = processMachineBatch(machine, initialCheckpoint(machine.stream), [message('a', 0)]);
  const due = first.checkpoint.heartbeatDueAt!;
  t.is(due, T0 + 300_000 + 600_000 + 1000);
  t.deepEqual(
    first.effects.filter((e) => e.kind === 'heartbeatTimer'),
    [{ kind: 'heartbeatTimer', fireAt: due, lastHeardTs: T0 }],
  );
  // A buffered reading from before the gap, arriving after the timer was due, is now too late.
  const late = processMachineBatch(machine, first.checkpoint, [message('old', 100, (due - T0) / 1000 + 5)]);
  t.is(late.outcomes[0]!.kind, 'tooLate');
  t.true(late.decisions.some((e) => e.type === 'HeartbeatMissed'));
  const fired = processMachineBatch(machine, first.checkpoint, [
    { kind: 'tick', ts: due },
    message('old', 100, (due - T0) / 1000 + 5),
  ]);
  t.deepEqual(fired.decisions, late.decisions);
});

test('a batch of redeliveries changes nothing: same checkpoint, no decisions, no effects', (t) => {
  const first = processMachineBatch(machine, initialCheckpoint(machine.stream), [message('a', 0), message('b', 10)]);
  const again = processMachineBatch(machine, first.checkpoint, [message('a', 0, 20), message('b', 10, 21)]);
  t.deepEqual(
    again.outcomes.map((o) => o.kind),
    ['duplicate', 'duplicate'],
  );
  t.deepEqual([again.decisions, again.effects], [[], []]);
  t.is(JSON.stringify(checkpointToJson(again.checkpoint)), JSON.stringify(checkpointToJson(first.checkpoint)));
});

const edgeAlert = (id: string, tsS: number, transition: 'raised' | 'cleared'): MachineInput => ({
  kind: 'edgeAlert',
  receivedAt: T0 + tsS * 1000 + 500,
  alert: {
    messageId: id,
    ts: T0 + tsS * 1000,
    detector: 'threshold:spindle_temp',
    transition,
    cause: `spindle_temp ${transition} at the edge`,
    trigger: null,
  },
});
const hot = (id: string, tsS: number): MachineInput => ({
  kind: 'message',
  receivedAt: T0 + tsS * 1000,
  observation: { kind: 'telemetry', messageId: id, ts: T0 + tsS * 1000, metrics: { spindle_temp: 180 } },
});

test('an alert the gateway raised is one alert with the same detector raised in the cloud: sent once, cleared once', (t) => {
  const inputs: MachineInput[] = [
    edgeAlert('e1', 5, 'raised'),
    hot('h0', 0),
    hot('h1', 20),
    hot('h2', 40),
    hot('h3', 700),
    edgeAlert('e1', 5, 'raised'),
  ];
  const result = processMachineBatch(machine, initialCheckpoint(machine.stream), inputs);
  t.deepEqual(
    result.outcomes.map((o) => o.kind),
    ['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'duplicate'],
  );
  const sent = result.effects.flatMap((e) =>
    e.kind === 'alert' ? [[e.event.type, e.event.detector, e.event.origin ?? 'machine']] : [],
  );
  t.deepEqual(sent, [['DetectorRaised', 'threshold:spindle_temp', 'edge']]);
  t.is(result.checkpoint.alerts['threshold:spindle_temp']?.open, 'edge');
  // The machine's own raise stays in its stream (its detector decided it); the summary pairs them into one alert.
  t.is(result.decisions.filter((e) => e.type === 'DetectorRaised').length, 2);
  const cleared = processMachineBatch(machine, result.checkpoint, [
    edgeAlert('e2', 800, 'cleared'),
    edgeAlert('e3', 801, 'cleared'),
  ]);
  t.deepEqual(
    cleared.effects.filter((e) => e.kind === 'alert').map((e) => e.kind === 'alert' && e.event.type),
    ['DetectorCleared'],
  );
  t.is(cleared.checkpoint.alerts['threshold:spindle_temp']?.open, null);
  t.is(cleared.decisions.length, 1, 'a clearing of an alert that is not open is not kept');
});
