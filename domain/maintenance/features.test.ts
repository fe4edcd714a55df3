import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  FEATURE_NAMES,
  featureVector,
  observationFromTelemetry,
  powerW,
  type Observation,
  type TelemetrySample,
} from './features.ts';

const observation = fc.record({
  airTempK: fc.double({ min: 250, max: 350, noNaN: true }),
  processTempK: fc.double({ min: 250, max: 380, noNaN: true }),
  rotationalSpeedRpm: fc.double({ min: 0, max: 4000, noNaN: true }),
  torqueNm: fc.double({ min: 0, max: 120, noNaN: true }),
  toolWearMin: fc.double({ min: 0, max: 300, noNaN: true }),
  type: fc.constantFrom('L' as const, 'M' as const, 'H' as const),
});

const at = (o: Observation, name: (typeof FEATURE_NAMES)[number]): number =>
  featureVector(o)[FEATURE_NAMES.indexOf(name)] as number;

testProp(
  'features are pure: the same observation (or a copy) gives the same vector, and the input is left unchanged',
  [observation],
  (t, o) => {
    const before = structuredClone(o);
    t.deepEqual(featureVector(o), featureVector(structuredClone(o)));
    t.deepEqual(o, before);
    t.is(featureVector(o).length, FEATURE_NAMES.length);
  },
  { numRuns: 200 },
);

testProp(
  'power is torque × speed × 2π/60 and the temperature difference is process − air',
  [observation],
  (t, o) => {
    t.true(
      Math.abs(at(o, 'powerW') - (o.torqueNm * o.rotationalSpeedRpm * 2 * Math.PI) / 60) <=
        1e-9 * Math.max(1, at(o, 'powerW')),
    );
    t.is(at(o, 'tempDifferenceK'), o.processTempK - o.airTempK);
  },
  { numRuns: 200 },
);

test('power of 40 Nm at 1,500 rpm is 6,283.19 W (2π·25 rad/s × 40 Nm)', (t) => {
  t.true(Math.abs(powerW(40, 1500) - 2000 * Math.PI) < 1e-9);
});

test('overstrain is wear × torque, and its ratio is taken against the variant limit 11,000 / 12,000 / 13,000 min·Nm', (t) => {
  const base = { airTempK: 300, processTempK: 310, rotationalSpeedRpm: 1500, torqueNm: 60, toolWearMin: 200 };
  t.is(at({ ...base, type: 'L' }, 'overstrainMinNm'), 12_000);
  t.true(Math.abs(at({ ...base, type: 'L' }, 'overstrainRatio') - 12 / 11) < 1e-12);
  t.is(at({ ...base, type: 'M' }, 'overstrainRatio'), 1);
  t.true(Math.abs(at({ ...base, type: 'H' }, 'overstrainRatio') - 12 / 13) < 1e-12);
  t.deepEqual(
    [
      at({ ...base, type: 'L' }, 'variant'),
      at({ ...base, type: 'M' }, 'variant'),
      at({ ...base, type: 'H' }, 'variant'),
    ],
    [0, 1, 2],
  );
});

const sample = (ts: number, metrics: Record<string, number | { value: number; unit: string }>): TelemetrySample => ({
  ts,
  metrics: Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, typeof v === 'number' ? { value: v, unit: undefined } : v]),
  ),
});

const window: TelemetrySample[] = [
  sample(1000, { air_temp: 300, process_temp: 310, spindle_speed: 1500, torque: 40, tool_wear: 100 }),
  sample(3000, { air_temp: 302, process_temp: 312, spindle_speed: 1400, torque: 45, tool_wear: 102 }),
  sample(2000, { air_temp: 301, spindle_speed: 1450 }),
];

test('the observation from telemetry averages the temperatures and takes the latest speed, torque and wear', (t) => {
  t.deepEqual(
    observationFromTelemetry(window, 'M'),
    E.right({
      airTempK: 301,
      processTempK: 311,
      rotationalSpeedRpm: 1400,
      torqueNm: 45,
      toolWearMin: 102,
      type: 'M',
    }),
  );
});

testProp(
  'the observation from telemetry does not depend on the order the samples arrive in',
  [fc.shuffledSubarray(window, { minLength: 3, maxLength: 3 })],
  (t, shuffled) => {
    t.deepEqual(observationFromTelemetry(shuffled, 'L'), observationFromTelemetry(window, 'L'));
  },
);

test('temperatures in degC (bare with a degC site unit, or tagged) are converted to kelvin', (t) => {
  const celsius = [
    sample(1, {
      air_temp: 26.85,
      process_temp: { value: 36.85, unit: 'degC' },
      spindle_speed: 1500,
      torque: 40,
      tool_wear: 5,
    }),
  ];
  const o = observationFromTelemetry(celsius, 'H', 'degC');
  t.true(E.isRight(o));
  if (E.isRight(o)) {
    t.true(Math.abs(o.right.airTempK - 300) < 1e-9);
    t.true(Math.abs(o.right.processTempK - 310) < 1e-9);
  }
});

test('a window lacking a metric, or with a temperature in an unknown unit, is refused with the metric named', (t) => {
  const missing = observationFromTelemetry([sample(1, { air_temp: 300, process_temp: 310, torque: 40 })], 'L');
  t.true(E.isLeft(missing) && missing.left.includes('spindle_speed, tool_wear'));
  const degF = observationFromTelemetry(
    [
      sample(1, {
        air_temp: { value: 80, unit: 'degF' },
        process_temp: 310,
        spindle_speed: 1,
        torque: 1,
        tool_wear: 1,
      }),
    ],
    'L',
  );
  t.true(E.isLeft(degF) && degF.left.includes('air_temp') && degF.left.includes('degF'));
});
