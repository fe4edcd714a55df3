import { testProp } from '@fast-check/ava';
import { alwaysPlannedUtc } from '../oee/calendar.ts';
import { foldOee } from '../oee/oeeProjection.ts';
import { arrivalOrder, T0, timeline } from '../../testing/domain/machineTimelines.ts';
import { fc } from '@fast-check/ava';
import { decisionsOf } from './decisions.ts';
import type { MachineCommand } from './decider.ts';
import { runMachine } from './runMachine.ts';

const config = { allowedLatenessMs: 600_000, heartbeatTimeoutMs: 300_000 };
const oeeConfig = { calendar: alwaysPlannedUtc, microStopMs: 120_000 };

testProp(
  'the OEE projection folds the decisions to what it folds all the events to (300 runs)',
  [
    timeline().chain((observations) => arrivalOrder(observations, config.allowedLatenessMs)),
    fc.integer({ min: 0, max: 3_600_000 }),
  ],
  (t, arrived, tail) => {
    const end = Math.max(T0, ...arrived.map((o) => o.ts)) + tail;
    const commands: MachineCommand[] = [
      { kind: 'Open', ts: T0 },
      ...arrived.map((observation): MachineCommand => ({ kind: 'Observe', observation })),
      { kind: 'Close', ts: end },
    ];
    const { events } = runMachine(config, commands);
    t.deepEqual(foldOee(oeeConfig, decisionsOf(events, false)), foldOee(oeeConfig, events));
  },
  { numRuns: 300 },
);
