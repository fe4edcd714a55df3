import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import {
  machineKeyOf,
  timeSplit,
  windowMetrics,
  trainBaseline,
  baselineFlags,
  type FailureTableRow,
} from './timeSplitEvaluation.ts';

const MIN = 60_000;
const row = (machine: string, minute: number, next: number | null, wear = 10): FailureTableRow => ({
  ts: minute * MIN,
  factory: 'f',
  line: 'l',
  machine,
  machineType: 'cnc',
  horizonMs: 60 * MIN,
  everyMs: 5 * MIN,
  observation: {
    type: 'M',
    airTempK: 300,
    processTempK: 310,
    rotationalSpeedRpm: 1500,
    torqueNm: 40,
    toolWearMin: wear,
  },
  failsWithinHorizon: next !== null,
  nextFailure: next === null ? null : { ts: next * MIN, reason: 'tool_failure' },
});

testProp(
  'a time split puts no machine and no minute on both sides, and no training label looks into the test period',
  [fc.integer({ min: 2, max: 12 }), fc.integer({ min: 20, max: 300 }), fc.integer({ min: 2, max: 5 })],
  (t, machines, minutes, holdOutEvery) => {
    const rows = Array.from({ length: machines }, (_, m) =>
      Array.from({ length: minutes }, (_, i) => row(`m${m}`, i * 5, null)),
    ).flat();
    const split = timeSplit(rows, { holdOutEvery });
    const trainMachines = new Set(split.train.map(machineKeyOf));
    t.false(split.test.some((r) => trainMachines.has(machineKeyOf(r))));
    const trainTimes = new Set(split.train.map((r) => r.ts));
    t.false(split.test.some((r) => trainTimes.has(r.ts)));
    t.true(split.train.every((r) => r.ts + r.horizonMs < split.testFrom));
    t.true(split.test.every((r) => r.ts >= split.testFrom));
  },
);

test('lead time runs from the first alarm in a failure horizon to the failure; a run of alarms with no failure is one false alarm', (t) => {
  // machine a fails at minute 100 (samples from 40 are in its horizon); machine b never fails
  const rows = [
    ...[0, 5, 10, 15, 20, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95].map((m) => row('a', m, m >= 40 ? 100 : null)),
    ...[0, 5, 10, 15, 20, 25].map((m) => row('b', m, null)),
  ];
  const flagged = rows.map((r) => (r.machine === 'a' ? [10, 15, 60, 65, 90].includes(r.ts / MIN) : r.ts / MIN === 20));
  const metrics = windowMetrics(rows, flagged);
  t.is(metrics.failures, 1);
  t.is(metrics.caught, 1);
  t.deepEqual(metrics.leadTimeMin, { median: 40, worst: 40 });
  t.deepEqual(metrics.leadTimes, { 'f/l/a@1970-01-01T01:40:00.000Z': 40 });
  // false alarms: a's run at 10–15 and b's at 20; machine-weeks: 23 samples × 5 min
  t.is(metrics.falseAlarmsPerMachineWeek, 2 / ((23 * 5) / (7 * 24 * 60)));
  t.is(metrics.positives, 12);
  t.is(metrics.recall, 3 / 12);
  t.is(metrics.precision, 3 / 6);
});

test('the baseline picks the one metric that separates failures in training, and its direction', (t) => {
  const train = [
    ...Array.from({ length: 30 }, (_, i) => row('a', i * 5, null, 20 + i)),
    ...Array.from({ length: 10 }, (_, i) => row('a', 200 + i * 5, 300, 190 + i)),
  ];
  const rule = trainBaseline(train);
  t.is(rule.direction, 'above');
  t.true(rule.feature === 'toolWearMin' || rule.feature === 'overstrainMinNm' || rule.feature === 'overstrainRatio');
  t.true(baselineFlags(rule, row('b', 0, null, 195).observation));
  t.false(baselineFlags(rule, row('b', 0, null, 30).observation));
});
