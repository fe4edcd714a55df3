import test from 'ava';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fc, testProp } from '@fast-check/ava';
import * as E from 'fp-ts/lib/Either.js';
import kinesalite from 'kinesalite';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';
import { createEventStoreTable, dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import { tableStream } from '../testing/fakes/dynamoStream.ts';
import { startFakeSns } from '../testing/fakes/sns.ts';
import { snsAlertPublisher } from '../adapters/snsAlertPublisher.ts';
import { dispatchCommits } from '../dispatch/dispatchCommits.ts';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  startDynaliteWithTransactions,
  type DynaliteWithTransactions,
} from '../testing/fakes/dynaliteWithTransactions.ts';
import type { KinesisStreamRecord } from './kinesisRecord.ts';
import { memoryOutputs, memorySink } from '../testing/memoryPorts.ts';
import { processBatch, processContext, type ProcessDeps } from './processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput, type Published } from '../testing/ruleRecords.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      name: 'Plant',
      timezone: 'UTC',
      lines: [
        {
          id: 'l1',
          machines: [
            { id: 'press-01', type: 'press', idealCycleTimeS: 10 },
            { id: 'lathe-02', type: 'press', idealCycleTimeS: 20 },
          ],
        },
      ],
    },
  ],
  microStopS: 60,
  heartbeatTimeoutS: 120,
  allowedLatenessS: 60,
  metrics: { spindle_temp: { unit: 'degC', min: -40, max: 400 } },
  detectors: { press: [{ kind: 'threshold', metric: 'spindle_temp', above: 90, clearBelow: 85, forS: 20 }] },
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site: SiteConfig = decoded.right;
const context = processContext(site);
const T0 = Date.UTC(2026, 0, 5, 8, 0);

/** Ten minutes of two machines: state, counts every 30 s, telemetry every 10 s with a hot spell on press-01. */
const plantMessages = (): Published[] => {
  const out: Published[] = [];
  for (const machine of ['press-01', 'lathe-02']) {
    const topic = (type: string) => `dt/f1/l1/${machine}/${type}`;
    out.push({
      topic: topic('state'),
      payload: { v: 1, id: `${machine}-s0`, ts: T0, state: 'RUNNING' },
      receivedAt: T0 + 50,
    });
    for (let s = 10; s <= 600; s += 10) {
      const hot = machine === 'press-01' && s >= 200 && s < 300;
      out.push({
        topic: topic('telemetry'),
        payload: {
          v: 1,
          id: `${machine}-t${s}`,
          ts: T0 + s * 1000,
          metrics: { spindle_temp: hot ? 95 : 60 + (s % 7) },
        },
        receivedAt: T0 + s * 1000 + 40,
      });
      if (s % 30 === 0)
        out.push({
          topic: topic('counts'),
          payload: { v: 1, id: `${machine}-c${s}`, ts: T0 + s * 1000, total: s / 10, reject: Math.floor(s / 200) },
          receivedAt: T0 + s * 1000 + 45,
        });
    }
  }
  return out.sort((a, b) => a.receivedAt - b.receivedAt);
};

/** A message the pipeline must refuse: a unit nobody configured. */
const badUnit: Published = {
  topic: 'dt/f1/l1/press-01/telemetry',
  payload: { v: 1, id: 'bad-unit', ts: T0 + 305_000, metrics: { spindle_temp: { value: 3, unit: 'furlong' } } },
  receivedAt: T0 + 305_100,
};

const asRecords = (messages: readonly Published[]): KinesisStreamRecord[] =>
  messages.map((m, i) =>
    kinesisRecord(ruleOutput(m)!, partitionKeyOf(m.topic), String(1000 + i).padStart(21, '0'), m.receivedAt),
  );

let dynamo: DynaliteWithTransactions;
let tables = 0;
test.before(async () => {
  dynamo = await startDynaliteWithTransactions();
});
test.after.always(async () => dynamo?.close());

const harness = async () => {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const tableName = `process-${++tables}`;
  await createEventStoreTable(client, tableName);
  const store = dynamoEventStore<MachineEvent>({ client, tableName });
  const telemetry = memorySink();
  const outputs = memoryOutputs();
  const deps: ProcessDeps = {
    site,
    store,
    telemetry: telemetry.sink,
    deadLetters: outputs.deadLetters,
    retry: { maxAttempts: 50, baseMs: 1, capMs: 4 },
  };
  const events = async (machine: string) => (await store.readStream(`f1/l1/${machine}`)).events;
  // The dispatch function, fed the table's new commits as its stream would feed it.
  const stream = tableStream(client, tableName);
  const dispatch = async () =>
    dispatchCommits(
      site,
      { alerts: outputs.publisher, assets: outputs.assets, timers: outputs.scheduler },
      await stream.next(),
    );
  return {
    deps,
    store,
    telemetry,
    outputs,
    events,
    dispatch,
    tableName,
    clientOf: () => client,
    close: () => client.destroy(),
  };
};

test('process: a batch read from kinesalite through the real Kinesis client lands in the streams, bad input in the dead letters', async (t) => {
  const server = kinesalite({ createStreamMs: 0 }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kinesis = new KinesisClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
  const h = await harness();
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'factory', ShardCount: 1 }));
    const described = await kinesis.send(new DescribeStreamCommand({ StreamName: 'factory' }));
    const messages = [...plantMessages(), badUnit];
    const entries = messages.map((m) => ({ Data: ruleOutput(m)!, PartitionKey: partitionKeyOf(m.topic) }));
    // A record that is not the rule's output at all (bytes that are not JSON) poisons nothing.
    entries.splice(7, 0, { Data: Buffer.from([0xff, 0x00, 0x7b]), PartitionKey: 'f1/l1/press-01' });
    for (let i = 0; i < entries.length; i += 500) {
      const put = await kinesis.send(
        new PutRecordsCommand({ StreamName: 'factory', Records: entries.slice(i, i + 500) }),
      );
      t.is(put.FailedRecordCount ?? 0, 0);
    }
    const shard = described.StreamDescription!.Shards![0]!.ShardId!;
    let iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({ StreamName: 'factory', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    const records: KinesisStreamRecord[] = [];
    while (iterator !== undefined && records.length < entries.length) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      records.push(
        ...(page.Records ?? []).map((r) =>
          kinesisRecord(
            r.Data!,
            r.PartitionKey!,
            r.SequenceNumber!,
            r.ApproximateArrivalTimestamp!.getTime(),
            described.StreamDescription!.StreamARN,
          ),
        ),
      );
      iterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0) break;
    }
    t.is(records.length, entries.length);
    // Batches of 100, as a batchSize-100 event source mapping would invoke the function.
    let decisions = 0;
    for (let i = 0; i < records.length; i += 100) {
      const outcome = await processBatch(h.deps, context, records.slice(i, i + 100));
      t.deepEqual(outcome.failures, []);
      decisions += outcome.stats.decisions;
      t.deepEqual((await h.dispatch()).failures, []);
    }
    const telemetryCount = messages.filter((m) => m.topic.endsWith('telemetry')).length - 1;
    t.is(h.telemetry.stored().length, telemetryCount);
    t.is(h.telemetry.writes(), telemetryCount, 'each reading was written once');
    t.is(h.outputs.letters.length, 2);
    t.true(h.outputs.letters.some((l) => /^Kinesis record \d+: payload is not valid UTF-8/.test(l.reason)));
    t.true(
      h.outputs.letters.some(
        (l) => l.topic === 'dt/f1/l1/press-01/telemetry' && /^metrics\.spindle_temp.*furlong/.test(l.reason),
      ),
      JSON.stringify(h.outputs.letters.map((l) => l.reason)),
    );
    t.true(h.outputs.letters.some((l) => l.payloadB64 === Buffer.from([0xff, 0x00, 0x7b]).toString('base64')));
    t.true(h.outputs.letters.some((l) => l.topic === badUnit.topic && (l.payload as { id: string }).id === 'bad-unit'));
    const press = await h.events('press-01');
    t.deepEqual(
      press.map((e) => e.version),
      press.map((_, i) => i + 1),
    );
    // The stream keeps decisions, never the readings: a state, 20 counts, the raised and cleared alert.
    t.deepEqual(
      press
        .map((e) => e.event.type)
        .filter((type, i, all) => all.indexOf(type) === i)
        .sort(),
      ['CountsAdvanced', 'DetectorCleared', 'DetectorRaised', 'StateChanged', 'WindowOpened'],
    );
    t.is(press.length + (await h.events('lathe-02')).length, decisions);
    t.deepEqual(
      h.outputs.alerts.map((a) => [a.machineId, a.status]),
      [
        ['press-01', 'RAISED'],
        ['press-01', 'CLEARED'],
      ],
    );
    t.true(h.outputs.values.some((v) => v.propertyAlias === '/f1/l1/press-01/total_count' && v.value > 0));
    t.is(h.outputs.timers.get('f1/l1/lathe-02|heartbeat')?.fireAt, T0 + 600_000 + 120_000 + 60_000 + 1000);
  } finally {
    h.close();
    kinesis.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Stored = { events: unknown; telemetry: unknown; alerts: unknown; letters: unknown };
const storedOf = async (h: Awaited<ReturnType<typeof harness>>): Promise<Stored> => ({
  events: [await h.events('press-01'), await h.events('lathe-02')],
  telemetry: [...h.telemetry.stored()].sort((a, b) => a.messageId.localeCompare(b.messageId)),
  alerts: [...new Set(h.outputs.alerts.map((a) => a.alertId))].sort(),
  letters: [...new Set(h.outputs.letters.map((l) => l.reason))].sort(),
});

const poisoned = (): KinesisStreamRecord[] => {
  const records = asRecords([...plantMessages(), badUnit]);
  records.splice(
    20,
    0,
    kinesisRecord(Buffer.from('{"v":1,"truncated'), 'f1/l1/press-01', '000000000000000099999', T0 + 20_000),
  );
  return records;
};

let reference: Stored | undefined;
const referenceStored = async (): Promise<Stored> => {
  if (reference !== undefined) return reference;
  const h = await harness();
  const outcome = await processBatch(h.deps, context, poisoned());
  if (outcome.failures.length > 0) throw new Error(JSON.stringify(outcome.failures));
  await h.dispatch();
  reference = await storedOf(h);
  h.close();
  return reference;
};

test('process: the same batch delivered twice stores the same state, one copy of everything', async (t) => {
  const h = await harness();
  const records = poisoned();
  t.deepEqual((await processBatch(h.deps, context, records)).failures, []);
  await h.dispatch();
  const once = await storedOf(h);
  const alertsOnce = h.outputs.alerts.length;
  const valuesOnce = h.outputs.values.length;
  const second = await processBatch(h.deps, context, records);
  t.deepEqual(second.failures, []);
  await h.dispatch();
  t.is(second.stats.accepted, 0);
  t.is(second.stats.decisions, 0, 'a redelivery appends nothing');
  t.is(second.stats.commits, 0, 'nor commits anything');
  t.deepEqual(await storedOf(h), once);
  t.is(h.outputs.alerts.length, alertsOnce, 'no alert is published twice');
  t.is(h.outputs.values.length, valuesOnce, 'no SiteWise value is written twice');
  t.is(h.telemetry.stored().length, 120);
  t.is((once.letters as string[]).length, 2);
  h.close();
});

const splitsOf = (n: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: 6 })
    .map((cuts) => [0, ...cuts.sort((a, b) => a - b), n]);

testProp(
  'process: any split of a batch, with any prefix redelivered, stores what one batch stores',
  [splitsOf(poisoned().length), fc.nat({ max: 150 })],
  async (t, bounds, redeliver) => {
    const expected = await referenceStored();
    const h = await harness();
    const records = poisoned();
    for (let i = 0; i + 1 < bounds.length; i++) {
      const batch = records.slice(bounds[i], bounds[i + 1]);
      t.deepEqual((await processBatch(h.deps, context, batch)).failures, []);
      // Lambda retries a batch from its start: the part already processed arrives again.
      if (i === 0)
        t.deepEqual(
          (await processBatch(h.deps, context, records.slice(0, Math.min(redeliver, bounds[1]!)))).failures,
          [],
        );
      await h.dispatch();
    }
    t.deepEqual(await storedOf(h), expected);
    h.close();
  },
  { numRuns: 8 },
);

test('process: two concurrent invocations on the same machine decide every message exactly once (interleaved commits on dynalite)', async (t) => {
  const h = await harness();
  const press = asRecords(plantMessages()).filter((r) => r.kinesis.partitionKey === 'f1/l1/press-01');
  // Each invocation gets every other record: both commit to one stream at the same time.
  const a = press.filter((_, i) => i % 2 === 0);
  const b = press.filter((_, i) => i % 2 === 1);
  const outcomes = await Promise.all([processBatch(h.deps, context, a), processBatch(h.deps, context, b)]);
  t.deepEqual(
    outcomes.flatMap((o) => o.failures),
    [],
  );
  const events = await h.events('press-01');
  t.deepEqual(
    events.map((e) => e.version),
    events.map((_, i) => i + 1),
    'versions are contiguous',
  );
  const decided = outcomes.flatMap((o) => [...o.outcomes.entries()]);
  t.is(new Set(decided.map(([sequence]) => sequence)).size, press.length, 'every record has one outcome');
  t.is(decided.filter(([, o]) => o.kind === 'duplicate').length, 0, 'none is taken for a redelivery');
  t.is(
    (await h.store.readCheckpoint('f1/l1/press-01'))?.position,
    outcomes.reduce((n, o) => n + o.stats.commits, 0),
  );
  t.log(`commit attempts ${outcomes.map((o) => o.stats.commitAttempts).join(' + ')} for ${press.length} records`);
  h.close();
});

test('process: a reading stamped an hour ahead of its receipt is refused, and the honest readings after it are accepted', async (t) => {
  const h = await harness();
  const ahead: Published = {
    topic: 'dt/f1/l1/press-01/telemetry',
    payload: { v: 1, id: 'ahead', ts: T0 + 3_600_000 + 15_000, metrics: { spindle_temp: 70 } },
    receivedAt: T0 + 15_000,
  };
  const messages = plantMessages().filter((m) => m.topic.includes('press-01'));
  const records = asRecords([messages[0]!, ahead, ...messages.slice(1)]);
  const outcome = await processBatch(h.deps, context, records);
  t.deepEqual(outcome.failures, []);
  t.is(outcome.stats.tooLate, 1);
  t.is(outcome.stats.accepted, messages.length);
  t.regex(h.outputs.letters[0]?.reason ?? '', /^from the future: .* ahead of when it was received/);
  h.close();
});

test('process: an alert whose SNS publish fails once after the commit is delivered exactly once', async (t) => {
  const h = await harness();
  const sns = await startFakeSns();
  const client = new SNSClient({
    endpoint: sns.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const alerts = snsAlertPublisher({ client, topicArn: 'arn:aws:sns:us-east-1:000000000000:factory-alerts' });
  const stream = tableStream(h.clientOf(), h.tableName);
  const ports = { alerts, assets: h.outputs.assets, timers: h.outputs.scheduler };
  try {
    const outcome = await processBatch(h.deps, context, asRecords(plantMessages()));
    t.deepEqual(outcome.failures, []);
    const records = await stream.next();
    sns.failNext(1, 'Throttled');
    const first = await dispatchCommits(site, ports, records);
    t.is(first.failures.length > 0, true, 'the throttled publish fails the record, so Lambda retries it');
    t.is(sns.published.length, 0);
    // Lambda retries from the failed record on: what failed, and everything after it.
    const failedAt = records.findIndex((r) => r.dynamodb?.SequenceNumber === first.failures[0]!.sequenceNumber);
    const retried = await dispatchCommits(site, ports, records.slice(failedAt));
    t.deepEqual(retried.failures, []);
    const delivered = sns.published.map((p) => (JSON.parse(p.message) as { alertId: string }).alertId);
    t.deepEqual(delivered, [...new Set(delivered)], 'no alert twice');
    t.deepEqual(
      delivered.map((id) => id.split('|').slice(1, 3).join(' ')),
      ['threshold:spindle_temp RAISED', 'threshold:spindle_temp CLEARED'],
    );
  } finally {
    client.destroy();
    await sns.close();
    h.close();
  }
});
