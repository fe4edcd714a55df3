import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import type { Decoder } from 'io-ts';
import { formatDecodeErrors } from './decodeError.ts';
import { isFiniteNumber, NonNegativeSeconds, numberWhere, oneOf, refined } from './refined.ts';
import { Count, isCount } from './wire/primitives.ts';

const errorsOf = <A>(codec: Decoder<unknown, A>, u: unknown): string[] => {
  const decoded = codec.decode(u);
  return E.isLeft(decoded) ? formatDecodeErrors(decoded.left) : [];
};

testProp(
  'a refined codec accepts exactly what its predicate accepts, and gives back the value it was given',
  [fc.oneof(fc.anything(), fc.double(), fc.integer())],
  (t, u) => {
    const decoded = Count.decode(u);
    t.is(E.isRight(decoded), isCount(u));
    if (E.isRight(decoded)) t.is(decoded.right as unknown, u);
  },
);

test('a refusal reads "expected <what>, got <value>", with the hint after it', (t) => {
  const Even = refined('Even', (u): u is number => typeof u === 'number' && u % 2 === 0, 'an even number', '; try 2');
  t.deepEqual(errorsOf(Even, 3), ['expected an even number, got 3; try 2']);
  t.deepEqual(errorsOf(Even, undefined), ['expected an even number, got nothing; try 2']);
});

test('oneOf quotes words and not numbers; numberWhere refuses NaN and Infinity whatever it accepts', (t) => {
  t.deepEqual(errorsOf(oneOf(['BE', 'LE'] as const), 'be'), ['expected one of "BE", "LE", got "be"']);
  t.deepEqual(errorsOf(oneOf([1, 3] as const), 2), ['expected one of 1, 3, got 2']);
  const Anything = numberWhere('a number', () => true);
  t.deepEqual(errorsOf(Anything, Number.NaN), ['expected a number, got NaN']);
  t.deepEqual(errorsOf(Anything, Number.POSITIVE_INFINITY), ['expected a number, got Infinity']);
  t.false(isFiniteNumber('1'));
});

test('a duration of 0 seconds is accepted, a negative one refused', (t) => {
  t.deepEqual(NonNegativeSeconds.decode(0), E.right(0));
  t.deepEqual(errorsOf(NonNegativeSeconds, -1), ['expected seconds >= 0, got -1']);
});
