import test from 'ava';
import { fc, testProp } from '@fast-check/ava';
import { telemetrySinkContract } from '../ports/telemetrySink.contract.ts';
import type { TelemetryRecord } from '../ports/telemetrySink.ts';
import { parseLine, startFakeInflux, type FakeInflux } from '../testing/fakes/influxWrite.ts';
import { influxTelemetrySink, MESSAGE_ID_FIELD } from './influxTelemetrySink.ts';
import { toLine } from './lineProtocol.ts';

const settings = { org: 'smart-factory', bucket: 'telemetry', token: 'secret-token' };

const sinkOn = async (maxLines?: number) => {
  const fake = await startFakeInflux({ ...settings, ...(maxLines === undefined ? {} : { maxLines }) });
  const sink = influxTelemetrySink({
    endpoint: fake.endpoint,
    ...settings,
    measurement: 'telemetry',
    sleep: async () => undefined,
  });
  return { fake, sink };
};

const fromPoints = (fake: FakeInflux): TelemetryRecord[] =>
  fake.points().map((p) => ({
    factoryId: p.tags.factoryId!,
    lineId: p.tags.lineId!,
    machineId: p.tags.machineId!,
    messageId: String(p.fields[MESSAGE_ID_FIELD]!.value),
    ts: p.timestamp,
    measures: Object.fromEntries(
      Object.entries(p.fields)
        .filter(([k]) => k !== MESSAGE_ID_FIELD)
        .map(([k, f]) => [k, f.value as number]),
    ),
  }));

telemetrySinkContract(test, 'influxdb telemetry sink', async () => {
  const { fake, sink } = await sinkOn();
  return { sink, stored: async () => fromPoints(fake), close: () => fake.close() };
});

const reading = (i: number, measures: Record<string, number> = { temp: i }): TelemetryRecord => ({
  factoryId: 'f1',
  lineId: 'l1',
  machineId: 'press-01',
  messageId: `m${i}`,
  ts: 1_700_000_000_000 + i,
  measures,
});

test('influxdb sink: the request is the v2 write API with token, org, bucket and ms precision, in batches of at most 5000 lines', async (t) => {
  const { fake, sink } = await sinkOn();
  t.deepEqual(await sink.write(Array.from({ length: 12_001 }, (_, i) => reading(i))), {
    accepted: 12_001,
    rejected: [],
  });
  t.deepEqual(fake.writes(), [5000, 5000, 2001]);
  const first = fake.requests[0]!;
  t.is(first.path, '/api/v2/write?org=smart-factory&bucket=telemetry&precision=ms');
  t.is(first.headers.authorization, 'Token secret-token');
  t.is(first.headers['content-type'], 'text/plain; charset=utf-8');
  t.is(
    first.body.split('\n')[1],
    'telemetry,factoryId=f1,lineId=l1,machineId=press-01 temp=1,message_id="m1" 1700000000001',
  );
  await fake.close();
});

test('influxdb sink: integral readings stay float fields, so a later fraction is no type conflict', async (t) => {
  const { fake, sink } = await sinkOn();
  await sink.write([reading(1, { temp: 60 })]);
  t.deepEqual(await sink.write([reading(2, { temp: 60.5 })]), { accepted: 1, rejected: [] });
  t.true(fake.points().every((p) => p.fields.temp!.type === 'float'));
  await fake.close();
});

test('influxdb sink: 429 and 503 are retried; a wrong token is reported, not retried, with what to check', async (t) => {
  const { fake, sink } = await sinkOn();
  fake.failNext(2, 503);
  t.deepEqual(await sink.write([reading(1)]), { accepted: 1, rejected: [] });
  fake.failNext(9, 429);
  const throttled = await sink.write([reading(2)]);
  t.true(throttled.rejected[0]!.retryable);
  const wrong = influxTelemetrySink({ endpoint: fake.endpoint, ...settings, token: 'nope', measurement: 'telemetry' });
  const report = await wrong.write([reading(3)]);
  t.false(report.rejected[0]!.retryable);
  t.regex(report.rejected[0]!.reason, /telemetry m3 .*HTTP 401: unauthorized access; check INFLUXDB_TOKEN/);
  await fake.close();
});

test('influxdb sink: a reading line protocol cannot carry is refused before the write, naming the field', async (t) => {
  const { fake, sink } = await sinkOn();
  const report = await sink.write([reading(1, { _reserved: 1 }), reading(2, { temp: Number.NaN }), reading(3)]);
  t.is(report.accepted, 1);
  t.deepEqual(
    report.rejected.map((r) => r.item.messageId),
    ['m1', 'm2'],
  );
  t.regex(report.rejected[1]!.reason, /field temp is NaN, expected a finite number/);
  await fake.close();
});

test('line protocol: integer fields carry the i suffix and strings are quoted with escapes', (t) => {
  const line = toLine({
    measurement: 'm',
    tags: {},
    fields: { n: { kind: 'integer', value: -42 }, s: { kind: 'string', value: 'say "hi" \\ bye' } },
    timestamp: 5,
  });
  t.is(line, 'm n=-42i,s="say \\"hi\\" \\\\ bye" 5');
  t.deepEqual(parseLine(line).fields, {
    n: { type: 'integer', value: -42 },
    s: { type: 'string', value: 'say "hi" \\ bye' },
  });
});

const text = fc
  .string({
    unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '=', '"', '\\', 'é', '_', '-'),
    minLength: 1,
    maxLength: 12,
  })
  .filter((s) => !s.startsWith('_'));

testProp(
  'line protocol: any measurement, tags, field names and values round-trip through the parser',
  [
    text,
    fc.dictionary(text, text, { maxKeys: 3 }),
    fc.dictionary(
      text,
      fc.oneof(
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((value) => ({ kind: 'float' as const, value: Object.is(value, -0) ? 0 : value })),
        fc.integer().map((value) => ({ kind: 'integer' as const, value })),
        text.map((value) => ({ kind: 'string' as const, value })),
      ),
      { minKeys: 1, maxKeys: 4 },
    ),
    fc.integer({ min: 0, max: 2 ** 52 }),
  ],
  (t, measurement, tags, fields, timestamp) => {
    // A trailing backslash before the separator is ambiguous in line protocol; InfluxDB has the same limit.
    fc.pre(
      ![measurement, ...Object.keys(tags), ...Object.values(tags), ...Object.keys(fields)].some((s) =>
        s.endsWith('\\'),
      ),
    );
    const parsed = parseLine(toLine({ measurement, tags, fields, timestamp }));
    t.is(parsed.measurement, measurement);
    t.deepEqual(parsed.tags, tags);
    t.deepEqual(
      Object.fromEntries(Object.entries(parsed.fields).map(([k, f]) => [k, f.value])),
      Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.value])),
    );
    t.is(parsed.timestamp, timestamp);
  },
  { numRuns: 200 },
);
