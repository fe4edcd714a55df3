import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { convert, dimensionOf, DIMENSIONS, isKnownUnit, unitsOf } from './convert.ts';

const right = (value: number, from: string, to: string): number => {
  const result = convert(value, from, to);
  if (E.isLeft(result)) throw new Error(result.left);
  return result.right;
};
const left = (value: number, from: string, to: string): string => {
  const result = convert(value, from, to);
  if (E.isRight(result)) throw new Error(`expected a failure, got ${result.right}`);
  return result.left;
};

// Relative tolerance, absolute near zero: affine temperature maps pass through 273.15, so a tiny
// value's relative error is bounded by the offset, not by the value.
const close = (a: number, b: number, tolerance = 1e-9): boolean =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

const pairsInOneDimension = fc
  .constantFrom(...DIMENSIONS)
  .chain((d) =>
    fc.tuple(fc.constantFrom(...unitsOf(d)), fc.constantFrom(...unitsOf(d)), fc.constantFrom(...unitsOf(d))),
  );
const physicalValue = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });

test('reference points are exact: 0 degC = 32 degF = 273.15 K', (t) => {
  t.is(right(0, 'degC', 'degF'), 32);
  t.is(right(0, 'degC', 'K'), 273.15);
  t.is(right(32, 'degF', 'degC'), 0);
  t.is(right(273.15, 'K', 'degC'), 0);
  t.is(right(273.15, 'K', 'degF'), 32);
  t.is(right(32, 'degF', 'K'), 273.15);
  t.is(right(100, 'degC', 'degF'), 212);
  t.is(right(-40, 'degF', 'degC'), -40);
});

test('reference points are exact: bar, psi, inch, rpm, hour, ratio, kWh', (t) => {
  t.is(right(1, 'bar', 'kPa'), 100);
  t.is(right(1, 'MPa', 'bar'), 10);
  t.is(right(1, 'psi', 'Pa'), 6894.757293168);
  t.is(right(1, 'in/s', 'mm/s'), 25.4);
  t.is(right(1, 'm/s', 'mm/s'), 1000);
  t.is(right(1, 'rpm', 'rad/s'), (2 * Math.PI) / 60);
  t.true(close(right(2 * Math.PI, 'rad/s', 'rpm'), 60, 1e-15));
  t.is(right(1, 'h', 's'), 3600);
  t.is(right(1, 'min', 'ms'), 60_000);
  t.is(right(1, 'ratio', '%'), 100);
  t.is(right(50, '%', 'ratio'), 0.5);
  t.is(right(1, 'kWh', 'Wh'), 1000);
  t.is(right(2.5, 'kW', 'W'), 2500);
});

test('aliases convert like their canonical unit and the same unit is the identity', (t) => {
  t.is(right(0, '°C', 'degF'), 32);
  t.is(right(212, 'fahrenheit', 'C'), 100);
  t.is(right(1, 'RPM', 'rpm'), 1);
  t.is(right(0.1, 'degC', 'degC'), 0.1);
  t.is(dimensionOf('celsius'), 'temperature');
  t.true(isKnownUnit('°F'));
  t.false(isKnownUnit('mpa'), 'unit names are case-sensitive: mPa is not MPa');
});

test("an unknown unit is named, with the known units of the other side's dimension", (t) => {
  const message = left(10, 'degK', 'degC');
  t.regex(message, /unknown unit "degK"/);
  t.regex(message, /known temperature units are degC, degF, K/);
  t.regex(left(10, 'kPa', 'atm'), /unknown unit "atm"; known pressure units are Pa, kPa, MPa, bar, psi/);
  t.regex(left(10, 'furlong', 'fortnight'), /unknown unit "furlong"; known units are temperature: degC/);
  t.is(dimensionOf('furlong'), undefined);
  t.false(isKnownUnit('toString'), 'object prototype names are not units');
});

test('units of different dimensions do not convert, and the message says so', (t) => {
  const message = left(1, 'psi', 'degC');
  t.regex(message, /"psi" \(pressure\) to "degC" \(temperature\)/);
  t.regex(message, /dimensions differ/);
});

testProp(
  'conversion round-trips within 1e-9 for every pair of units of a dimension',
  [pairsInOneDimension, physicalValue],
  (t, [a, b], value) => {
    t.true(close(right(right(value, a, b), b, a), value));
  },
  { numRuns: 300 },
);

testProp(
  'converting through an intermediate unit equals converting directly (within 1e-9)',
  [pairsInOneDimension, physicalValue],
  (t, [a, b, c], value) => {
    t.true(close(right(right(value, a, b), b, c), right(value, a, c)));
  },
  { numRuns: 300 },
);

testProp(
  'linear conversion preserves zero and order',
  [
    fc
      .constantFrom(...DIMENSIONS.filter((d) => d !== 'temperature'))
      .chain((d) => fc.tuple(fc.constantFrom(...unitsOf(d)), fc.constantFrom(...unitsOf(d)))),
    physicalValue,
    physicalValue,
  ],
  (t, [a, b], x, y) => {
    t.is(right(0, a, b), 0);
    if (x < y) t.true(right(x, a, b) <= right(y, a, b));
  },
  { numRuns: 200 },
);
