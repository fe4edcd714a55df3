import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { oeeForWindow } from '../../domain/oee/oeeForWindow.ts';
import { rollUpOee, paretoOf, type MachineWindow } from './lineOee.ts';

/** A machine's window as oeeForWindow reports it, from integer milliseconds like the projection books them. */
const machineWindow = fc
  .record({
    runMs: fc.integer({ min: 0, max: 36_000_000 }),
    downMs: fc.integer({ min: 0, max: 36_000_000 }),
    total: fc.integer({ min: 0, max: 10_000 }),
    reject: fc.integer({ min: 0, max: 100 }),
    idealCycleTimeS: fc.constantFrom(1, 4.5, 6, 45, 90),
    jamMs: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ runMs, downMs, total, reject, idealCycleTimeS, jamMs }): MachineWindow => {
    const r = oeeForWindow(
      {
        runMs,
        downMs: downMs + jamMs,
        microStopMs: 0,
        plannedStopMs: 0,
        dataGapMs: 0,
        downByReason: { jam: jamMs, unspecified: downMs },
        total,
        reject,
        gapTotal: 0,
        gapReject: 0,
      },
      idealCycleTimeS,
    );
    return { ...r, idealCycleTimeS };
  });

const close = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

testProp(
  "a line of one machine has that machine's availability, performance, quality and OEE",
  [machineWindow],
  (t, m) => {
    const line = rollUpOee([m]);
    const own = oeeForWindow(
      {
        runMs: m.runS * 1000,
        downMs: m.downS * 1000,
        microStopMs: 0,
        plannedStopMs: 0,
        dataGapMs: 0,
        downByReason: {},
        total: m.total,
        reject: m.total - m.good,
        gapTotal: 0,
        gapReject: 0,
      },
      m.idealCycleTimeS,
    );
    for (const key of ['availability', 'performance', 'quality', 'oee'] as const)
      t.true(close(line[key], own[key]), key);
  },
);

testProp(
  'line OEE equals availability × performance × quality',
  [fc.array(machineWindow, { minLength: 1, maxLength: 8 })],
  (t, machines) => {
    const line = rollUpOee(machines);
    fc.pre(line.availability !== null && line.performance !== null && line.quality !== null);
    t.true(close(line.availability! * line.performance! * line.quality!, line.oee));
  },
);

testProp(
  "line OEE is the planned-time-weighted mean of its machines' OEE",
  [fc.array(machineWindow, { minLength: 1, maxLength: 8 })],
  (t, machines) => {
    const planned = machines.filter((m) => m.plannedS > 0);
    fc.pre(planned.length > 0);
    const weighted =
      planned.reduce((sum, m) => sum + ((m.idealCycleTimeS * m.good) / m.plannedS) * m.plannedS, 0) /
      planned.reduce((s, m) => s + m.plannedS, 0);
    t.true(close(rollUpOee(machines).oee, weighted));
  },
);

testProp(
  "the line's downtime by reason adds up to its down time",
  [fc.array(machineWindow, { maxLength: 8 })],
  (t, machines) => {
    const line = rollUpOee(machines);
    t.true(Math.abs(Object.values(line.downtimeByReason).reduce((a, b) => a + b, 0) - line.downS) < 1e-6);
  },
);

test('a Pareto puts the biggest loss first', (t) => {
  t.deepEqual(
    paretoOf({ jam: 10, changeover: 300, no_material: 40 }).map((p) => p.reason),
    ['changeover', 'no_material', 'jam'],
  );
});
