import { fc, testProp } from '@fast-check/ava';
import { CountsPayload, StatePayload, TelemetryPayload } from './messages.ts';
import { validPayload } from './validPayload.ts';
import type { ReadingType } from './topic.ts';

const CODECS = { telemetry: TelemetryPayload, state: StatePayload, counts: CountsPayload } as const;

// Each field drawn from values on both sides of its rule, so most payloads are nearly valid.
const timestamp = fc.oneof(
  fc.integer({ min: -1000, max: Date.UTC(9999, 11, 31) + 1000 }),
  fc.double(),
  fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 30)), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-11-25T06:00:00+01:00', '2026-11-25T06:00Z', '2026-11-25 06:00', '2026-02-30T00:00:00Z', ''),
);
const count = fc.oneof(
  fc.nat(),
  fc.integer({ min: -5, max: -1 }),
  fc.double(),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.string(),
);
const metricValue = fc.oneof(
  fc.double(),
  fc.record(
    { value: fc.oneof(fc.double(), fc.string()), unit: fc.oneof(fc.constantFrom('degC', 'psi', ''), fc.nat()) },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, 'x', [1]),
);
const metrics = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom('spindle_temp', 'pressure', 'a.b:c-d'), fc.string({ maxLength: 3 })),
    metricValue,
    { maxKeys: 4 },
  ),
  fc.constantFrom(null, [], 'metrics'),
);
const anyField = fc.record(
  {
    v: fc.constantFrom(1, 2, '1'),
    id: fc.oneof(fc.string({ minLength: 0, maxLength: 4 }), fc.constant('x'.repeat(257)), fc.nat()),
    ts: timestamp,
    seq: count,
    metrics,
    state: fc.constantFrom('RUNNING', 'DOWN', 'OFF', 'running', 3),
    reason: fc.oneof(fc.string({ maxLength: 4 }), fc.nat()),
    total: count,
    reject: count,
  },
  { requiredKeys: [] },
);
const validField = fc.record(
  {
    v: fc.constant(1),
    id: fc.string({ minLength: 1, maxLength: 20 }),
    ts: fc.oneof(
      fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }),
      fc
        .date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 30)), noInvalidDate: true })
        .map((d) => d.toISOString()),
    ),
    seq: fc.nat(),
    metrics: fc.dictionary(
      fc.stringMatching(/^[A-Za-z0-9_.:-]{1,8}$/),
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.record({ value: fc.double({ noNaN: true, noDefaultInfinity: true }), unit: fc.constantFrom('degC', 'psi') }),
      ),
      { minKeys: 1, maxKeys: 4 },
    ),
    state: fc.constantFrom('RUNNING', 'IDLE', 'DOWN', 'SETUP', 'PLANNED_STOP', 'OFF'),
    reason: fc.string({ maxLength: 6 }),
    total: fc.nat(),
    reject: fc.nat(),
  },
  { requiredKeys: ['v', 'id', 'ts', 'metrics', 'state', 'total', 'reject'] },
);
// A valid payload of every type with a few of its fields replaced by arbitrary values or dropped:
// both sides of each rule, near the valid case where a fast path could go wrong.
const payload = fc
  .tuple(validField, anyField, fc.subarray(['v', 'id', 'ts', 'metrics', 'state', 'total', 'reject'], { maxLength: 2 }))
  .map(([valid, other, dropped]): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...valid, ...other };
    for (const key of dropped) delete out[key];
    return out;
  });
const mostlyValid = fc.oneof({ arbitrary: validField, weight: 2 }, { arbitrary: payload, weight: 3 });
// A job is left to its codec (jobs are rare): the fast path covers the readings sent every second.
const type = fc.constantFrom<Exclude<ReadingType, 'job'>>('telemetry', 'state', 'counts');

testProp(
  'the fast path decodes a payload to exactly what the codec decodes it to, or leaves it to the codec (2000 runs)',
  [type, mostlyValid],
  (t, messageType, fields: Record<string, unknown>) => {
    const fast = validPayload(messageType, fields);
    const decoded = CODECS[messageType].decode(fields);
    if (fast === undefined) {
      // Nothing the codec accepts is left to it: the fast path covers every valid payload.
      t.is(decoded._tag, 'Left');
    } else {
      t.is(decoded._tag, 'Right');
      if (decoded._tag === 'Right') t.deepEqual(fast, decoded.right);
    }
  },
  { numRuns: 2000 },
);
