import test from 'ava';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { telemetrySinkContract } from '../ports/telemetrySink.contract.ts';
import type { TelemetryRecord } from '../ports/telemetrySink.ts';
import { startFakeTimestream, type FakeTimestream } from '../testing/fakes/timestreamWrite.ts';
import { MESSAGE_ID_MEASURE, timestreamTelemetrySink } from './timestreamTelemetrySink.ts';

// With a custom endpoint the SDK skips endpoint discovery (DescribeEndpoints) altogether; the fake
// still answers it, and the test below shows it is never asked.
const clientFor = (fake: FakeTimestream) =>
  new TimestreamWriteClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

const sinkOn = async () => {
  const fake = await startFakeTimestream();
  const client = clientFor(fake);
  const sink = timestreamTelemetrySink({
    client,
    databaseName: 'factory',
    tableName: 'telemetry',
    sleep: async () => undefined,
  });
  return { fake, client, sink };
};

const fromStored = (fake: FakeTimestream): TelemetryRecord[] =>
  fake.stored().map((s) => ({
    factoryId: s.dimensions.factoryId!,
    lineId: s.dimensions.lineId!,
    machineId: s.dimensions.machineId!,
    messageId: s.measures.find((m) => m.Name === MESSAGE_ID_MEASURE)!.Value,
    ts: s.timeMs,
    measures: Object.fromEntries(
      s.measures.filter((m) => m.Name !== MESSAGE_ID_MEASURE).map((m) => [m.Name, Number(m.Value)]),
    ),
  }));

telemetrySinkContract(test, 'timestream telemetry sink', async () => {
  const { fake, client, sink } = await sinkOn();
  return {
    sink,
    stored: async () => fromStored(fake),
    close: async () => {
      client.destroy();
      await fake.close();
    },
  };
});

const reading = (i: number, machineId = 'press-01'): TelemetryRecord => ({
  factoryId: 'f1',
  lineId: 'l1',
  machineId,
  messageId: `m${i}`,
  ts: 1_700_000_000_000 + i,
  measures: { temp: i },
});

test('timestream sink: 250 records go in calls of at most 100, counted per call, with the JSON 1.0 target header', async (t) => {
  const { fake, client, sink } = await sinkOn();
  await sink.write(Array.from({ length: 250 }, (_, i) => reading(i)));
  t.deepEqual(sink.stats(), { calls: 3, records: 250, recordsPerCall: [100, 100, 50] });
  const calls = fake.writeCalls();
  t.is(calls.length, 3);
  t.true(calls.every((c) => c.headers['content-type'] === 'application/x-amz-json-1.0'));
  t.false(fake.requests.some((r) => r.headers['x-amz-target'] === 'Timestream_20181101.DescribeEndpoints'));
  const body = JSON.parse(calls[0]!.body);
  t.deepEqual(body.CommonAttributes, {
    MeasureName: 'telemetry',
    MeasureValueType: 'MULTI',
    TimeUnit: 'MILLISECONDS',
    Dimensions: [
      { Name: 'factoryId', Value: 'f1' },
      { Name: 'lineId', Value: 'l1' },
      { Name: 'machineId', Value: 'press-01' },
    ],
  });
  t.deepEqual(body.Records[1], {
    Dimensions: [],
    Time: '1700000000001',
    MeasureValues: [
      { Name: 'temp', Value: '1', Type: 'DOUBLE' },
      { Name: 'message_id', Value: 'm1', Type: 'VARCHAR' },
    ],
  });
  client.destroy();
  await fake.close();
});

test('timestream sink: only the dimensions shared by the whole call are hoisted', async (t) => {
  const { fake, client, sink } = await sinkOn();
  await sink.write([reading(1, 'a'), reading(2, 'b')]);
  const body = JSON.parse(fake.writeCalls()[0]!.body);
  t.deepEqual(
    body.CommonAttributes.Dimensions.map((d: { Name: string }) => d.Name),
    ['factoryId', 'lineId'],
  );
  t.deepEqual(
    body.Records.map((r: { Dimensions: unknown }) => r.Dimensions),
    [[{ Name: 'machineId', Value: 'a' }], [{ Name: 'machineId', Value: 'b' }]],
  );
  client.destroy();
  await fake.close();
});

test('timestream sink: a record the service rejects is reported by message id and reason, the others are written', async (t) => {
  const { fake, client, sink } = await sinkOn();
  await sink.write([reading(1)]);
  const report = await sink.write([
    reading(2),
    { ...reading(1), messageId: 'clash', measures: { temp: 99 } },
    reading(3),
  ]);
  t.is(report.accepted, 2);
  t.is(report.rejected.length, 1);
  t.is(report.rejected[0]!.item.messageId, 'clash');
  t.false(report.rejected[0]!.retryable);
  t.regex(
    report.rejected[0]!.reason,
    /clash: A record with the same dimensions, time and measure name already exists.*existing version 1/,
  );
  t.deepEqual(
    fromStored(fake)
      .map((r) => r.messageId)
      .sort(),
    ['m1', 'm2', 'm3'],
  );
  client.destroy();
  await fake.close();
});

test('timestream sink: names Timestream forbids are rejected before the call, naming the rule', async (t) => {
  const { fake, client, sink } = await sinkOn();
  const bad: TelemetryRecord[] = [
    { ...reading(1), messageId: 'colon', measures: { 'a:b': 1 } },
    { ...reading(2), messageId: 'prefix', measures: { ts_x: 1 } },
    { ...reading(3), messageId: 'reserved', measures: { time: 1 } },
    { ...reading(4), messageId: 'long', measures: { ['x'.repeat(257)]: 1 } },
    { ...reading(5), messageId: 'nan', measures: { temp: Number.NaN } },
  ];
  const report = await sink.write([...bad, reading(6)]);
  t.is(report.accepted, 1);
  t.deepEqual(
    report.rejected.map((r) => r.item.messageId),
    ['colon', 'prefix', 'reserved', 'long', 'nan'],
  );
  t.regex(report.rejected[0]!.reason, /telemetry colon of f1\/l1\/press-01: measure name "a:b" contains ':'/);
  t.is(fake.writeCalls().length, 1);
  client.destroy();
  await fake.close();
});

test('timestream sink: throttling is retried with backoff until the call succeeds', async (t) => {
  const { fake, client, sink } = await sinkOn();
  fake.failNext(2, 'ThrottlingException');
  t.deepEqual(await sink.write([reading(1)]), { accepted: 1, rejected: [] });
  t.is(fake.writeCalls().length, 3);
  fake.failNext(10, 'InternalServerException');
  const report = await sink.write([reading(2)]);
  t.is(report.accepted, 0);
  t.true(report.rejected[0]!.retryable);
  t.regex(report.rejected[0]!.reason, /failed after 4 attempt\(s\): InternalServerException/);
  client.destroy();
  await fake.close();
});
