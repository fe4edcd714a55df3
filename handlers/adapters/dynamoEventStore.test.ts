import test from 'ava';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import { eventStoreContract, type ContractEvent } from '../ports/eventStore.contract.ts';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { commitOfItem, createEventStoreTable, dynamoEventStore } from './dynamoEventStore.ts';
import {
  startDynaliteWithTransactions,
  type DynaliteWithTransactions,
} from '../testing/fakes/dynaliteWithTransactions.ts';

let server: DynaliteWithTransactions;
let tables = 0;
test.before(async () => {
  server = await startDynaliteWithTransactions();
});
test.after.always(async () => server?.close());

const makeClient = (): DynamoDBClient =>
  new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

const makeStore = async () => {
  const client = makeClient();
  const tableName = `events-${++tables}`;
  await createEventStoreTable(client, tableName);
  return { store: dynamoEventStore<ContractEvent>({ client, tableName }), close: async () => client.destroy() };
};

eventStoreContract(test, 'dynamodb event store', () => makeStore());

test.serial('dynamodb event store: every append is one TransactWriteItems call', async (t) => {
  const { store, close } = await makeStore();
  const before = server.transactions();
  await store.appendToStream('tx', 0, [
    { type: 'a', n: 1 },
    { type: 'a', n: 2 },
  ]);
  await store.appendToStream('tx', 2, [{ type: 'a', n: 3 }]);
  t.is(server.transactions() - before, 2);
  await close();
});

test.serial(
  'dynamodb event store: a commit is two items in one TransactWriteItems, however many events it holds',
  async (t) => {
    const { store, close } = await makeStore();
    const before = server.transactions();
    const events = Array.from({ length: 250 }, (_, n) => ({ type: 'bulk', n }));
    t.deepEqual(
      await store.commit('big', 0, { events, checkpoint: { pending: [1, 2, 3] }, effects: [{ kind: 'alert' }] }),
      E.right({ position: 1, nextVersion: 250 }),
    );
    t.is(server.transactions() - before, 1);
    t.is((await store.readStream('big')).events.length, 250);
    await close();
  },
);

test('dynamodb event store: the commit item carries its effects for the dispatch function, the head does not', async (t) => {
  const client = makeClient();
  const tableName = `events-${++tables}`;
  await createEventStoreTable(client, tableName);
  const store = dynamoEventStore<ContractEvent>({ client, tableName });
  await store.commit('f1/l1/m1', 0, {
    events: [{ type: 'a', n: 1 }],
    checkpoint: { n: 1 },
    effects: [{ kind: 'alert', n: 1 }],
  });
  const doc = DynamoDBDocumentClient.from(client);
  const items = (await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  t.deepEqual(
    items.map(commitOfItem).filter((c) => c !== undefined),
    [{ streamId: 'f1/l1/m1', position: 1, effects: [{ kind: 'alert', n: 1 }] }],
  );
  t.is(items.length, 2);
  client.destroy();
});
