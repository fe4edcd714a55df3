// The classify function on the path the cloud runs: a machine's stream written by the process
// function into DynamoDB (on dynalite), then `POST /classify` events as API Gateway's HTTP API hands
// them over. The decision lands in the machine's stream beside the process function's, at the next
// position, and the process function's next commit builds on it.
import test from 'ava';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig } from '../../domain/site/siteConfig.ts';
import { createEventStoreTable, dynamoEventStore } from '../adapters/dynamoEventStore.ts';
import {
  startDynaliteWithTransactions,
  type DynaliteWithTransactions,
} from '../testing/fakes/dynaliteWithTransactions.ts';
import { memoryOutputs, memorySink } from '../testing/memoryPorts.ts';
import { processBatch, processContext } from '../process/processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput } from '../testing/ruleRecords.ts';
import { handleClassify } from './handleClassify.ts';

const decoded = decodeSiteConfig({
  version: 1,
  factories: [
    {
      id: 'f1',
      timezone: 'UTC',
      lines: [{ id: 'l1', machines: [{ id: 'press-01', type: 'press', idealCycleTimeS: 10 }] }],
    },
  ],
  heartbeatTimeoutS: 600,
  allowedLatenessS: 60,
  reasons: [
    { code: 'tool_failure', category: 'equipmentFailure' },
    { code: 'slow_feed', category: 'reducedSpeed' },
  ],
});
if (E.isLeft(decoded)) throw new Error(decoded.left.join('; '));
const site = decoded.right;
const T0 = Date.UTC(2026, 0, 5, 8, 0);
const MIN = 60_000;

let server: DynaliteWithTransactions;
let client: DynamoDBClient;
const store = () => dynamoEventStore<MachineEvent>({ client, tableName: 'events' });

const process = async (
  messages: { readonly topic: string; readonly payload: Record<string, unknown> }[],
  first: number,
) => {
  const records = messages.map((m, i) => {
    const received = { ...m, receivedAt: m.payload['ts'] as number };
    return kinesisRecord(ruleOutput(received)!, partitionKeyOf(m.topic), String(first + i), received.receivedAt);
  });
  const outputs = memoryOutputs();
  await processBatch(
    { site, store: store(), telemetry: memorySink().sink, deadLetters: outputs.deadLetters },
    processContext(site),
    records,
  );
};
const state = (minutes: number, s: string) => ({
  topic: 'dt/f1/l1/press-01/state',
  payload: { v: 1, id: `s${minutes}`, ts: T0 + minutes * MIN, state: s },
});

test.before(async () => {
  server = await startDynaliteWithTransactions();
  client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createEventStoreTable(client, 'events');
  // Down from 08:10 to 08:40 with no reason.
  await process([state(0, 'RUNNING'), state(10, 'DOWN'), state(40, 'RUNNING'), state(45, 'RUNNING')], 0);
});
test.after.always(async () => {
  client?.destroy();
  await server?.close();
});

const post = (body: unknown, userArn = 'arn:aws:iam::123456789012:user/anna') =>
  handleClassify(
    { site, store: store() },
    { body: JSON.stringify(body), requestContext: { authorizer: { iam: { userArn } } } },
    Date.UTC(2026, 0, 6, 9),
  );

test.serial(
  'POST /classify appends the decision to the machine stream in DynamoDB, naming the IAM caller',
  async (t) => {
    const before = await store().readCheckpoint('f1/l1/press-01');
    const result = await post({
      machine: 'f1/l1/press-01',
      at: new Date(T0 + 25 * MIN).toISOString(),
      reason: 'tool_failure',
    });
    t.is(result.statusCode, 200, result.body);
    const decision = {
      type: 'DowntimeClassified',
      ts: T0 + 10 * MIN,
      reason: 'tool_failure',
      classifiedAt: Date.UTC(2026, 0, 6, 9),
      by: 'arn:aws:iam::123456789012:user/anna',
    };
    t.deepEqual(JSON.parse(result.body), { classified: decision });
    const after = await store().readCheckpoint('f1/l1/press-01');
    t.is(after?.position, before!.position + 1);
    // The checkpoint is as the process function left it.
    t.deepEqual(after?.state, before?.state);
    t.deepEqual((await store().readStream('f1/l1/press-01')).events.at(-1)?.event, decision);

    // The process function's next batch commits on top of it.
    await process([state(50, 'DOWN'), state(55, 'RUNNING')], 100);
    const events = (await store().readStream('f1/l1/press-01')).events.map((e) => e.event);
    t.true(events.some((e) => e.type === 'DowntimeClassified'));
    t.true(events.some((e) => e.type === 'StateChanged' && e.ts === T0 + 50 * MIN));
  },
);

test.serial(
  'a code not in the catalog, a speed loss, a time outside every stop, an unknown machine or a bad body is refused; nothing is appended',
  async (t) => {
    const length = async () => (await store().readStream('f1/l1/press-01')).events.length;
    const before = await length();
    const refused = async (body: unknown) => {
      const result = await post(body);
      return [result.statusCode, (JSON.parse(result.body) as { field?: string }).field];
    };
    t.deepEqual(await refused({ machine: 'f1/l1/press-01', at: T0 + 25 * MIN, reason: 'gremlins' }), [400, 'reason']);
    t.deepEqual(await refused({ machine: 'f1/l1/press-01', at: T0 + 25 * MIN, reason: 'slow_feed' }), [400, 'reason']);
    t.deepEqual(await refused({ machine: 'f1/l1/press-01', at: T0 + 5 * MIN, reason: 'tool_failure' }), [400, 'at']);
    t.deepEqual(await refused({ machine: 'f1/l1/press-99', at: T0 + 25 * MIN, reason: 'tool_failure' }), [
      404,
      'machine',
    ]);
    t.deepEqual(await refused({ machine: 'f1/l1/press-01', at: 'yesterday', reason: 'tool_failure' }), [400, 'at']);
    t.is((await handleClassify({ site, store: store() }, { body: 'not json' }, 0)).statusCode, 400);
    t.is(await length(), before);
  },
);
