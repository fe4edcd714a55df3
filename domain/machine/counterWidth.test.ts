import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import type { CountsAdvanced } from './events.ts';
import { counterAdvance, counterModulus } from './counterWidth.ts';
import type { MachineCommand } from './decider.ts';
import { runMachine } from './runMachine.ts';

const T0 = Date.UTC(2026, 10, 25, 6);
const SIXTEEN = counterModulus(16);

const countsOf = (values: readonly number[], modulus?: number): CountsAdvanced[] => {
  const commands: MachineCommand[] = values.map((total, i) => ({
    kind: 'Observe',
    observation: { kind: 'counts', messageId: `c${i}`, ts: T0 + i * 10_000, total, reject: 0 },
  }));
  commands.push({ kind: 'Close', ts: T0 + values.length * 10_000 });
  const config = {
    allowedLatenessMs: 60_000,
    heartbeatTimeoutMs: 300_000,
    ...(modulus === undefined ? {} : { counterModulus: modulus }),
  };
  return runMachine(config, commands).events.filter((e): e is CountsAdvanced => e.type === 'CountsAdvanced');
};

test('a 16-bit counter that passes 65,535 wrapped: an advance of the parts made since, not a reset', (t) => {
  t.is(counterAdvance(65_530, 4, SIXTEEN), 10);
  t.is(counterAdvance(65_530, 4, undefined), undefined, 'without a width, a drop is a reset');
  t.is(counterAdvance(40_000, 10, SIXTEEN), undefined, 'a drop from the lower three quarters is a reset');
  t.is(counterAdvance(100, 130, SIXTEEN), 30);
  const [, wrapped] = countsOf([65_530, 4], SIXTEEN);
  t.like(wrapped, { kind: 'advance', totalDelta: 10, total: 4 });
  const [, reset] = countsOf([65_530, 4]);
  t.like(reset, { kind: 'reset', totalDelta: 4 });
});

testProp(
  'a wrap is an advance: a 16- or 32-bit counter read after each batch of parts advances by exactly the parts made, however often it wraps (300 runs)',
  [
    fc.constantFrom(16 as const, 32 as const),
    // How far below the maximum the counter starts: near it, so that it wraps, once or more.
    fc.nat({ max: 60_000 }),
    fc.array(fc.integer({ min: 0, max: 16_384 }), { minLength: 1, maxLength: 40 }),
  ],
  (t, bits, belowMax, made) => {
    const modulus = counterModulus(bits);
    let value = modulus - 1 - belowMax;
    const readings = [value];
    for (const parts of made) {
      value = (value + parts) % modulus;
      readings.push(value);
    }
    const events = countsOf(readings, modulus);
    t.true(events.every((e) => e.kind !== 'reset'));
    t.is(
      events.reduce((sum, e) => sum + e.totalDelta, 0),
      made.reduce((sum, parts) => sum + parts, 0),
    );
  },
  { numRuns: 300 },
);
