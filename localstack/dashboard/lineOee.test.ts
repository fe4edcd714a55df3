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

test("a machine that ran two products rolls up at each product's ideal cycle time: a line of it alone reads as the machine", (t) => {
  const products = { a: 1.0, b: 1.5 };
  const totals = {
    runMs: 24_000_000,
    downMs: 3_000_000,
    microStopMs: 0,
    plannedStopMs: 0,
    dataGapMs: 0,
    downByReason: {},
    total: 17_400,
    reject: 250,
    gapTotal: 0,
    gapReject: 0,
    byProduct: { a: { total: 11_400, reject: 100 }, b: { total: 6_000, reject: 150 } },
  };
  const machine = oeeForWindow(totals, 2, products);
  const line = rollUpOee([{ ...machine, idealCycleTimeS: 2, productCycleTimesS: products }]);
  // The worked example of domain/pipeline/productOee.test.ts: P 0.850, OEE 0.744 (not 1.450 and 1.270 at the machine's 2 s).
  t.deepEqual(
    [line.performance?.toFixed(3), line.oee?.toFixed(3)],
    [machine.performance?.toFixed(3), machine.oee?.toFixed(3)],
  );
  t.deepEqual([line.performance?.toFixed(3), line.oee?.toFixed(3)], ['0.850', '0.744']);
});
