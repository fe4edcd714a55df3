import test from 'ava';
import { alwaysPlannedUtc } from '../oee/calendar.ts';
import { machineStream, type MachineStreamConfig } from './machineStream.ts';
import type { MachineCommand } from '../machine/decider.ts';

const T0 = Date.UTC(2026, 10, 24, 6);
const config: MachineStreamConfig = {
  machine: { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 },
  alerts: {
    allowedLatenessMs: 600_000,
    detectors: [
      { kind: 'threshold', metric: 'temp', above: 90, clearBelow: 85, forS: 30 },
      { kind: 'heartbeat', timeoutS: 300 },
    ],
  },
  oee: { calendar: alwaysPlannedUtc, microStopMs: 120_000 },
  idealCycleTimeS: 1,
};

const sample = (s: number, temp: number): MachineCommand => ({
  kind: 'Observe',
  observation: { kind: 'telemetry', messageId: `t${s}`, ts: T0 + s * 1000, metrics: { temp } },
});

const run = (commands: readonly MachineCommand[]) => {
  const stream = machineStream(config);
  let state = stream.initialState;
  const events = [];
  for (const command of commands) {
    const result = stream.handle(command, state);
    state = result.state;
    events.push(...result.events);
  }
  return { state, events, stream };
};

test('a timer tick settles the pending readings before the detectors hear the time: a breach they hold still raises', (t) => {
  const breach = [sample(0, 95), sample(20, 96), sample(40, 97)];
  const { events } = run([...breach, { kind: 'AdvanceClock', ts: T0 + 40_000 + 600_001 }]);
  const alerts = events.filter((e) => e.type === 'DetectorRaised').map((e) => e as { detector: string; ts: number });
  t.deepEqual(
    alerts.map((a) => [a.detector, a.ts]),
    [['threshold:temp', T0 + 40_000]],
  );
  // The timer came 10 minutes after the last reading: the heartbeat alert is raised too, at lastHeard + 300 s.
  const timed = run([...breach, { kind: 'AdvanceClock', ts: T0 + 40_000 + 600_000 + 300_001 }]).events.filter(
    (e) => e.type === 'DetectorRaised',
  );
  t.deepEqual(
    timed.map((e) => [(e as { detector: string }).detector, e.ts]),
    [
      ['threshold:temp', T0 + 40_000],
      ['heartbeat', T0 + 340_000],
    ],
  );
});

test('the stream state is the fold of its events, alert events included', (t) => {
  const { state, events, stream } = run([
    sample(0, 95),
    sample(20, 96),
    sample(40, 80),
    { kind: 'AdvanceClock', ts: T0 + 2_000_000 },
    { kind: 'Close', ts: T0 + 2_000_000 },
  ]);
  t.deepEqual(stream.fold(events), state);
});
