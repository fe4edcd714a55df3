import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { eventStoreContract, type ContractEvent } from '../../handlers/ports/eventStore.contract.ts';
import { openFactoryDb } from './schema.ts';
import { sqliteEventStore } from './sqliteEventStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-events-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

eventStoreContract(test, 'sqlite event store', async () => {
  const db = openFactoryDb(join(dir, `events-${++n}.db`));
  return { store: sqliteEventStore<ContractEvent>(db), close: async () => void db.close() };
});

test('sqlite event store: events and checkpoints survive closing and reopening the file', async (t) => {
  const file = join(dir, 'restart.db');
  const first = openFactoryDb(file);
  await sqliteEventStore<ContractEvent>(first).commit('f1/l1/m1', 0, {
    events: [
      { type: 'a', n: 1 },
      { type: 'b', n: 2 },
    ],
    checkpoint: { total: 3 },
    effects: [],
  });
  first.close();
  const second = openFactoryDb(file);
  const store = sqliteEventStore<ContractEvent>(second);
  t.is(second.pragma('journal_mode', { simple: true }), 'wal');
  t.is((await store.readStream('f1/l1/m1')).currentVersion, 2);
  t.deepEqual(await store.readCheckpoint('f1/l1/m1'), { position: 1, version: 2, state: { total: 3 } });
  second.close();
});

test('sqlite event store: two connections to one file still let only one append win', async (t) => {
  const file = join(dir, 'two-connections.db');
  const [a, b] = [openFactoryDb(file), openFactoryDb(file)];
  const [storeA, storeB] = [sqliteEventStore<ContractEvent>(a), sqliteEventStore<ContractEvent>(b)];
  t.true(E.isRight(await storeA.appendToStream('s', 0, [{ type: 'a', n: 1 }])));
  t.deepEqual(
    await storeB.appendToStream('s', 0, [{ type: 'b', n: 1 }]),
    E.left({ kind: 'ConcurrencyConflict', streamId: 's', expected: 0, actual: 1 }),
  );
  a.close();
  b.close();
});
