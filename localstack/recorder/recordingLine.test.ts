// What the recorder writes for the bytes it receives: a JSON object as `payload`, anything else as
// `payloadB64`, and in both cases a line the replay reads back (domain/wire/recording.ts).
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import { decodeRecordingLine, type RecordingLine } from '../../domain/wire/recording.ts';
import { recordingLineFor } from './recordingLine.ts';

const T = Date.UTC(2026, 10, 24, 3, 0, 0, 123);

const decoded = (line: string): RecordingLine => {
  const result = decodeRecordingLine(line);
  if (E.isLeft(result)) throw new Error(`not a recording line: ${result.left}`);
  return result.right;
};

const isJsonObjectText = (bytes: Uint8Array): boolean => {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

// Arbitrary bytes, and texts of every JSON kind (objects most of all, since most traffic is), as bytes.
const payloads = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.jsonValue().map((value) => new TextEncoder().encode(JSON.stringify(value) ?? 'null')),
  fc
    .dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 })
    .map((value) => new TextEncoder().encode(JSON.stringify(value))),
);

testProp(
  'every received payload is recoverable: payloadB64 gives the exact bytes, payload the parsed JSON object',
  [payloads, fc.string()],
  (t, bytes, topic) => {
    const line = decoded(recordingLineFor(T, topic, bytes));
    t.is(line.topic, topic);
    t.is(line.t, T);
    if (isJsonObjectText(bytes)) {
      t.is(line.body.kind, 'json');
      t.deepEqual(
        line.body.kind === 'json' ? line.body.payload : undefined,
        JSON.parse(new TextDecoder().decode(bytes)),
      );
    } else {
      t.is(line.body.kind, 'bytes');
      t.deepEqual(line.body.kind === 'bytes' ? [...Buffer.from(line.body.base64, 'base64')] : undefined, [...bytes]);
    }
  },
  { numRuns: 300 },
);

test('a truncated JSON object, a JSON array and non-UTF-8 bytes are kept as payloadB64; t is the receive time in ISO-8601', (t) => {
  for (const text of ['{"v":1,"id":"trunc-1","ts":', '[1,2,3]', '42']) {
    t.deepEqual(JSON.parse(recordingLineFor(T, 'dt/f1/l1/m1/telemetry', Buffer.from(text))), {
      t: '2026-11-24T03:00:00.123Z',
      topic: 'dt/f1/l1/m1/telemetry',
      payloadB64: Buffer.from(text).toString('base64'),
    });
  }
  t.deepEqual(JSON.parse(recordingLineFor(T, 'x', Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))), {
    t: '2026-11-24T03:00:00.123Z',
    topic: 'x',
    payloadB64: 'e//+fQ==',
  });
  // mqtt.js hands over Buffers that are views into a larger one: only the view is the payload.
  const view = Uint8Array.of(1, 2, 0x7b, 0xff, 0xfe, 0x7d, 3).subarray(2, 6);
  t.is((JSON.parse(recordingLineFor(T, 'x', view)) as { payloadB64: string }).payloadB64, 'e//+fQ==');
});

test('a JSON object is written as payload, so the recording stays readable', (t) => {
  t.is(
    recordingLineFor(T, 'dt/f1/l1/m1/state', Buffer.from('{ "v": 1, "state": "RUNNING" }')),
    '{"t":"2026-11-24T03:00:00.123Z","topic":"dt/f1/l1/m1/state","payload":{"v":1,"state":"RUNNING"}}',
  );
});
