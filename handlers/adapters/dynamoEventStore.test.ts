import test from 'ava';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import { eventStoreContract, type ContractEvent } from '../ports/eventStore.contract.ts';
import { createEventStoreTable, dynamoEventStore, MAX_EVENTS_PER_APPEND } from './dynamoEventStore.ts';
import { startDynaliteWithTransactions, type DynaliteWithTransactions } from './fakes/dynaliteWithTransactions.ts';

let server: DynaliteWithTransactions;
let tables = 0;
test.before(async () => {
  server = await startDynaliteWithTransactions();
});
test.after.always(async () => server?.close());

const makeClient = (): DynamoDBClient => new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

const makeStore = async (options: { now?: () => number; snapshotTtlS?: number } = {}) => {
  const client = makeClient();
  const tableName = `events-${++tables}`;
  await createEventStoreTable(client, tableName);
  return { store: dynamoEventStore<ContractEvent>({ client, tableName, ...options }), close: async () => client.destroy() };
};

eventStoreContract(test, 'dynamodb event store', () => makeStore());

test('dynamodb event store: an append above one transaction is refused whole, not split', async (t) => {
  const { store, close } = await makeStore();
  const events = Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, (_, n) => ({ type: 'bulk', n }));
  t.deepEqual(await store.appendToStream('big', 0, events), E.left({ kind: 'AppendTooLarge', streamId: 'big', count: 100, limit: 99 }));
  t.is((await store.readStream('big')).currentVersion, 0);
  t.deepEqual(await store.appendToStream('big', 0, events.slice(0, MAX_EVENTS_PER_APPEND)), E.right({ nextVersion: 99 }));
  await close();
});

test.serial('dynamodb event store: every append is one TransactWriteItems call', async (t) => {
  const { store, close } = await makeStore();
  const before = server.transactions();
  await store.appendToStream('tx', 0, [{ type: 'a', n: 1 }, { type: 'a', n: 2 }]);
  await store.appendToStream('tx', 2, [{ type: 'a', n: 3 }]);
  t.is(server.transactions() - before, 2);
  await close();
});

test('dynamodb event store: a snapshot past its TTL reads as absent', async (t) => {
  let clock = 1_700_000_000_000;
  const { store, close } = await makeStore({ now: () => clock, snapshotTtlS: 3600 });
  await store.writeSnapshot('ttl', 4, { total: 1 });
  t.deepEqual(await store.readSnapshot('ttl'), { version: 4, state: { total: 1 } });
  clock += 3600_000;
  t.is(await store.readSnapshot('ttl'), undefined);
  await close();
});
