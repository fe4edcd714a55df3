import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import type { WindowSample } from '../detectors/maintenanceDetector.ts';
import { featureVector } from './features.ts';
import {
  failuresOf,
  failureWindowSamples,
  type FailureWindowOptions,
  type MachineHistory,
  type StateChange,
} from './failureWindows.ts';

const MIN = 60_000;
const OPTIONS: FailureWindowOptions = {
  horizonMs: 60 * MIN,
  everyMs: 5 * MIN,
  windowMs: 5 * MIN,
  productType: 'M',
  metricUnits: { air_temp: 'K', process_temp: 'K' },
  failureReasons: ['tool_failure', 'overheating'],
};

const reading = (wear: number, torque: number, temp: number) => ({
  air_temp: 300,
  process_temp: temp,
  spindle_speed: 1500,
  torque,
  tool_wear: wear,
});

/** A machine's history: one sample a minute, with states drawn among running, failures and other stops. */
const history = fc
  .record({
    minutes: fc.integer({ min: 30, max: 400 }),
    values: fc.array(
      fc.tuple(fc.double({ min: 0, max: 250, noNaN: true }), fc.double({ min: 0, max: 70, noNaN: true })),
      { minLength: 400, maxLength: 400 },
    ),
    stops: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 400 }),
        state: fc.constantFrom('DOWN' as const, 'IDLE' as const, 'RUNNING' as const),
        reason: fc.constantFrom('tool_failure', 'overheating', 'jam', null),
      }),
      { maxLength: 8 },
    ),
    missing: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 40 }),
  })
  .map(({ minutes, values, stops, missing }): MachineHistory => {
    const skip = new Set(missing);
    const telemetry: WindowSample[] = [];
    for (let m = 0; m < minutes; m++) {
      if (skip.has(m)) continue;
      const [wear, torque] = values[m]!;
      telemetry.push({ ts: m * MIN + 1_000, metrics: reading(wear, torque, 310 + (m % 7)) });
    }
    const states: StateChange[] = [...stops]
      .sort((a, b) => a.at - b.at)
      .map((s) => ({ ts: s.at * MIN + 30_000, state: s.state, reason: s.state === 'RUNNING' ? null : s.reason }));
    return { telemetry, states, gaps: [] };
  });

testProp(
  'no feature of a sample uses data after its sample time: shuffling and replacing the future keeps every earlier sample the same',
  [history, fc.integer({ min: 0, max: 400 }), fc.integer()],
  (t, h, cutMinute, seed) => {
    const cut = cutMinute * MIN;
    // the future is reshuffled (values move between later minutes) and rewritten (new values)
    const future = h.telemetry.filter((s) => s.ts > cut);
    const shuffled = fc.sample(fc.shuffledSubarray(future, { minLength: future.length }), { seed, numRuns: 1 })[0]!;
    const telemetry = [
      ...h.telemetry.filter((s) => s.ts <= cut),
      ...future.map((s, i) => ({
        ts: s.ts,
        metrics: { ...shuffled[i]!.metrics, torque: (shuffled[i]!.metrics['torque'] ?? 0) * 1.7 + 3 },
      })),
    ];
    const before = failureWindowSamples(h, { ...OPTIONS, horizonMs: 0 });
    const after = failureWindowSamples({ ...h, telemetry }, { ...OPTIONS, horizonMs: 0 });
    const features = (samples: typeof before) =>
      samples.filter((s) => s.ts <= cut).map((s) => [s.ts, ...featureVector(s.observation)]);
    t.deepEqual(features(after), features(before));
    t.true(before.length === 0 || features(before).length <= before.length);
  },
);

testProp(
  'a sample is labelled positive exactly when a failure starts within the horizon after it, and none lies inside a failure',
  [history],
  (t, h) => {
    const failures = failuresOf(h.states, OPTIONS.failureReasons);
    t.pass();
    for (const s of failureWindowSamples(h, OPTIONS)) {
      const next = failures.find((f) => f.from > s.ts && f.from <= s.ts + OPTIONS.horizonMs);
      t.is(s.failsWithinHorizon, next !== undefined);
      t.is(s.nextFailure?.ts, next?.from);
      t.false(failures.some((f) => f.from <= s.ts && s.ts < f.to));
      t.true(s.ts + OPTIONS.horizonMs <= h.telemetry.at(-1)!.ts);
    }
  },
);

test('a DOWN with a reason the site does not name a failure (a jam) labels nothing', (t) => {
  const telemetry = Array.from({ length: 200 }, (_, m) => ({ ts: m * MIN, metrics: reading(m, 40, 310) }));
  const jam: MachineHistory = {
    telemetry,
    states: [
      { ts: 0, state: 'RUNNING', reason: null },
      { ts: 90 * MIN, state: 'DOWN', reason: 'jam' },
    ],
    gaps: [],
  };
  t.true(failureWindowSamples(jam, OPTIONS).every((s) => !s.failsWithinHorizon));
  const broken = { ...jam, states: [jam.states[0]!, { ts: 90 * MIN, state: 'DOWN' as const, reason: 'tool_failure' }] };
  const labelled = failureWindowSamples(broken, OPTIONS).filter((s) => s.failsWithinHorizon);
  t.deepEqual(
    labelled.map((s) => s.ts / MIN),
    [30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85],
  );
});

test('a data gap and a moment with no telemetry in the window are not samples', (t) => {
  const telemetry = Array.from({ length: 300 }, (_, m) => ({ ts: m * MIN, metrics: reading(10, 40, 310) })).filter(
    (s) => s.ts < 100 * MIN || s.ts >= 130 * MIN,
  );
  const samples = failureWindowSamples(
    { telemetry, states: [], gaps: [{ from: 140 * MIN, to: 150 * MIN }] },
    OPTIONS,
  ).map((s) => s.ts / MIN);
  t.true(samples.includes(100)); // the newest reading (minute 99) is within the window
  t.false(samples.includes(105));
  t.false(samples.includes(125));
  t.false(samples.includes(140));
  t.true(samples.includes(150));
});
