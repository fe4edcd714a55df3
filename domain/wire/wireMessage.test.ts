import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeMessageBytes, decodePayload } from './wireMessage.ts';
import { decodeRecordingLine, encodeRecordingLine } from './recording.ts';

const topics = fc.oneof(
  fc.constantFrom('dt/f1/l1/m1/telemetry', 'dt/f1/l1/m1/state', 'dt/f1/l1/m1/counts'),
  fc.string(),
  fc.array(fc.stringMatching(/^[A-Za-z0-9_+#-]{0,6}$/), { maxLength: 6 }).map((levels) => levels.join('/')),
);
const nearlyValid = fc.record(
  {
    v: fc.oneof(fc.constant(1), fc.jsonValue()),
    id: fc.oneof(fc.string(), fc.jsonValue()),
    ts: fc.oneof(
      fc.integer(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.jsonValue(),
    ),
    metrics: fc.oneof(
      fc.dictionary(
        fc.string(),
        fc.oneof(fc.double(), fc.record({ value: fc.jsonValue(), unit: fc.jsonValue() }), fc.jsonValue()),
      ),
      fc.jsonValue(),
    ),
    state: fc.oneof(fc.constantFrom('RUNNING', 'DOWN', 'BROKEN'), fc.jsonValue()),
    total: fc.oneof(fc.nat(), fc.jsonValue()),
    reject: fc.oneof(fc.nat(), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

testProp(
  'decoding never throws on arbitrary JSON: it gives a message or a reason (1000 runs)',
  [topics, fc.oneof(fc.jsonValue(), nearlyValid)],
  (t, topic, payload) => {
    const result = decodePayload(topic, payload);
    t.true(E.isRight(result) || (typeof result.left === 'string' && result.left.length > 0));
  },
  { numRuns: 1000 },
);

testProp(
  'decoding never throws on arbitrary bytes (1000 runs)',
  [topics, fc.uint8Array({ maxLength: 300 })],
  (t, topic, bytes) => {
    const result = decodeMessageBytes(topic, bytes);
    t.true(E.isRight(result) || result.left.length > 0);
  },
  { numRuns: 1000 },
);

testProp(
  'a recording line never throws on arbitrary text, and a valid line round-trips (500 runs)',
  [fc.string(), fc.date({ min: new Date(0), max: new Date(Date.UTC(9000, 0)), noInvalidDate: true }), fc.jsonValue()],
  (t, text, date, payload) => {
    t.notThrows(() => decodeRecordingLine(text));
    const line = { t: date.getTime(), topic: 'dt/f/l/m/telemetry', body: { kind: 'json' as const, payload } };
    const decoded = decodeRecordingLine(encodeRecordingLine(line));
    t.true(E.isRight(decoded));
    if (E.isRight(decoded)) t.deepEqual(decoded.right, JSON.parse(JSON.stringify(line)));
  },
  { numRuns: 500 },
);

const reason = (topic: string, payload: unknown): string => {
  const result = decodePayload(topic, payload);
  return E.isLeft(result) ? result.left : 'accepted';
};

test('the reason names the field, what was expected and what came', (t) => {
  t.is(
    reason('dt/f1/l1/m1/telemetry', {
      v: 1,
      id: 'a',
      ts: 0,
      metrics: { spindle_temp: { value: '71,3', unit: 'degC' } },
    }),
    'metrics.spindle_temp.value: expected number, got "71,3"',
  );
  t.is(
    reason('dt/f1/l1/m1/telemetry', { v: 1, id: 'a', ts: 0, metrics: { spindle_temp: '71,3' } }),
    'metrics.spindle_temp: expected number or {"value": number, "unit": string}, got "71,3"',
  );
  t.is(
    reason('dt/f1/l1/m1/counts', { v: 1, id: 'a', ts: 0, total: 5, reject: -1 }),
    'reject: expected a whole number >= 0, got -1',
  );
  t.is(
    reason('dt/f1/l1/m1/state', { v: 1, id: 'a', ts: '2026-11-25 06:00', state: 'RUNNING' }),
    'ts: expected an ISO-8601 time with a zone (2026-11-25T06:00:00Z) or epoch milliseconds, got "2026-11-25 06:00"',
  );
  t.is(
    reason('dt/f1/l1/m 1/state', { v: 1 }),
    'topic "dt/f1/l1/m 1/state": machineId "m 1" is not an id of 1-64 characters A-Z a-z 0-9 _ -',
  );
  t.is(reason('dt/f1/l1/m1/state', [1]), 'payload: expected a JSON object, got an array');
});

test('the three message types decode to typed messages with epoch-millisecond times', (t) => {
  const telemetry = decodePayload('dt/f1/l1/m1/telemetry', {
    v: 1,
    id: 'a',
    ts: '2026-11-25T06:00:00+01:00',
    seq: 3,
    metrics: { t: 1, p: { value: 2, unit: 'bar' } },
  });
  t.deepEqual(
    telemetry,
    E.right({
      factoryId: 'f1',
      lineId: 'l1',
      machineId: 'm1',
      type: 'telemetry',
      payload: {
        v: 1,
        id: 'a',
        ts: Date.UTC(2026, 10, 25, 5),
        seq: 3,
        metrics: { t: { value: 1, unit: undefined }, p: { value: 2, unit: 'bar' } },
      },
    }),
  );
  t.true(
    E.isRight(decodePayload('dt/f1/l1/m1/state', { v: 1, id: 'b', ts: 1764050400000, state: 'DOWN', reason: 'jam' })),
  );
  t.true(E.isRight(decodePayload('dt/f1/l1/m1/counts', { v: 1, id: 'c', ts: 1764050400000, total: 10, reject: 1 })));
});

test("a payload over IoT Core's 128 KiB limit is refused before parsing", (t) => {
  const big = new TextEncoder().encode(
    JSON.stringify({ v: 1, id: 'a', ts: 0, metrics: { x: 1 }, pad: 'x'.repeat(131_072) }),
  );
  t.deepEqual(
    decodeMessageBytes('dt/f1/l1/m1/telemetry', big),
    E.left(`payload is ${big.byteLength} bytes, over the 131072-byte (128 KiB) limit`),
  );
});

test('a missing field reads "got nothing", and a non-finite number is named, not shown as null', (t) => {
  t.is(
    reason('dt/f1/l1/m1/counts', { v: 1, ts: 0, total: 1, reject: 0 }),
    'id: expected a non-empty string of at most 256 characters, got nothing',
  );
  t.is(
    reason('dt/f1/l1/m1/telemetry', { v: 1, id: 'a', ts: 0, metrics: { x: Number.NaN } }),
    'metrics.x: expected number, got NaN',
  );
});
