import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { testProp, fc } from '@fast-check/ava';
import { rawFromRegisters, registersFromRaw, valueFromRegisters } from './registerDecoding.ts';

const order = fc.constantFrom('BE' as const, 'LE' as const);

testProp(
  'int16, uint16, int32, uint32 round-trip through registers in either word order',
  [
    fc.oneof(
      fc.tuple(fc.constant('int16' as const), fc.integer({ min: -32768, max: 32767 })),
      fc.tuple(fc.constant('uint16' as const), fc.integer({ min: 0, max: 65535 })),
      fc.tuple(fc.constant('int32' as const), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      fc.tuple(fc.constant('uint32' as const), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    ),
    order,
  ],
  (t, [type, raw], wordOrder) => {
    t.deepEqual(rawFromRegisters(registersFromRaw(raw, type, wordOrder), type, wordOrder), E.right(raw));
  },
  { numRuns: 200 },
);

testProp(
  'float32 round-trips through registers exactly (as a 32-bit float)',
  [fc.float({ noNaN: true, noDefaultInfinity: true }), order],
  (t, raw, wordOrder) => {
    t.deepEqual(
      rawFromRegisters(registersFromRaw(raw, 'float32', wordOrder), 'float32', wordOrder),
      E.right(Math.fround(raw)),
    );
  },
  { numRuns: 200 },
);

testProp(
  'LE word order is BE with the two words swapped',
  [fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })],
  (t, a, b) => {
    t.deepEqual(rawFromRegisters([a, b], 'uint32', 'LE'), rawFromRegisters([b, a], 'uint32', 'BE'));
  },
  { numRuns: 100 },
);

testProp(
  'value = raw × scale + offset',
  [
    fc.integer({ min: -32768, max: 32767 }),
    fc.double({ min: -100, max: 100, noNaN: true }),
    fc.double({ min: -100, max: 100, noNaN: true }),
  ],
  (t, raw, scale, offset) => {
    t.deepEqual(
      valueFromRegisters(registersFromRaw(raw, 'int16'), { type: 'int16', scale, offset }),
      E.right(raw * scale + offset),
    );
  },
  { numRuns: 100 },
);

test('known device words decode to the documented values', (t) => {
  t.deepEqual(rawFromRegisters([0xffff], 'int16'), E.right(-1));
  t.deepEqual(rawFromRegisters([0xffff], 'uint16'), E.right(65535));
  t.deepEqual(rawFromRegisters([0x0001, 0x0000], 'uint32', 'BE'), E.right(65536));
  t.deepEqual(rawFromRegisters([0x0000, 0x0001], 'uint32', 'LE'), E.right(65536));
  t.deepEqual(rawFromRegisters([0x42f6, 0xe979], 'float32', 'BE'), E.right(Math.fround(123.456)));
  t.deepEqual(valueFromRegisters([215], { type: 'uint16', scale: 0.1, offset: -10 }), E.right(215 * 0.1 - 10));
});

test('a NaN float, a wrong register count and out-of-range words are refused with a reason', (t) => {
  const nan = rawFromRegisters([0x7fc0, 0x0000], 'float32');
  t.true(E.isLeft(nan) && nan.left.includes('NaN'));
  const inf = rawFromRegisters([0x7f80, 0x0000], 'float32');
  t.true(E.isLeft(inf) && inf.left.includes('Infinity'));
  t.deepEqual(rawFromRegisters([1], 'int32'), E.left('expected 2 register(s) for int32, got 1'));
  t.true(E.isLeft(rawFromRegisters([70000], 'uint16')));
});
