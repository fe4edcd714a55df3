import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openFactoryDb } from '../store/schema.ts';
import { openStore } from './openStore.ts';
import { tempDir } from './replayFixtures.ts';
import { inlineWriter, threadWriter, type WriteBatch } from './storeWriter.ts';

const STATEMENTS = [
  'INSERT OR IGNORE INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures) VALUES (?, ?, ?, ?, ?, ?)',
  'INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  'INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)',
];
const dir = tempDir();
let stores = 0;
const newStore = () => {
  const path = join(dir, `${(stores += 1)}.db`);
  return { path, db: openFactoryDb(path) };
};
const tables = (path: string): unknown => {
  const db = openFactoryDb(path);
  try {
    return {
      telemetry: db.prepare('SELECT * FROM telemetry ORDER BY message_id, ts').all(),
      deadLetters: db.prepare('SELECT * FROM dead_letters ORDER BY id').all(),
      events: db.prepare('SELECT * FROM events ORDER BY stream_id, version').all(),
    };
  } finally {
    db.close();
  }
};

const telemetryRow = fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('press-01', 'press-02'), fc.integer({ min: 0, max: 5 }), fc.string());
const deadLetterRow = fc.tuple(fc.string(), fc.option(fc.string()), fc.integer());
const batch = fc.tuple(fc.array(telemetryRow, { maxLength: 20 }), fc.array(deadLetterRow, { maxLength: 5 })).map(([telemetry, dead]): WriteBatch => [
  [0, telemetry.map(([id, machine, ts, measures]) => [id, 'leipzig', 'body', machine, ts, measures])],
  [1, dead.map(([reason, payload, at]) => ['test', reason, 'dt/x', payload, null, at])],
]);

testProp('batches written on the writer\'s thread leave the store as the same batches written on the caller\'s thread', [fc.array(batch, { maxLength: 8 })], (t, batches) => {
  const inline = newStore();
  const onCaller = inlineWriter(inline.db, STATEMENTS);
  for (const b of batches) onCaller.write(b);
  inline.db.close();
  const threaded = newStore();
  const onThread = threadWriter(threaded.path, STATEMENTS);
  for (const b of batches) onThread.write(b);
  onThread.close();
  threaded.db.close();
  t.deepEqual(tables(threaded.path), tables(inline.path));
}, { numRuns: 15 });

test('a failed batch is thrown at the next flush, and neither it nor any later batch is written', (t) => {
  const { path, db } = newStore();
  const writer = threadWriter(path, STATEMENTS);
  writer.write([[2, [['s', 1, '{}']]]]);
  writer.write([[2, [['s', 2, '{}'], ['s', 0, '{}']]]]); // version 0 breaks the CHECK: the whole batch is refused
  writer.write([[2, [['s', 3, '{}']]]]);
  t.throws(() => writer.flush(), { message: /a replay commit failed: .*CHECK constraint failed/ });
  t.throws(() => writer.write([[2, [['s', 4, '{}']]]]), { message: /CHECK constraint failed/ });
  writer.close();
  t.deepEqual(db.prepare('SELECT version FROM events ORDER BY version').pluck().all(), [1]);
  db.close();
});

test('a failure nobody flushed for is thrown by close', (t) => {
  const { path, db } = newStore();
  const writer = threadWriter(path, STATEMENTS);
  writer.write([[2, [['s', 0, '{}']]]]);
  t.throws(() => writer.close(), { message: /CHECK constraint failed/ });
  db.close();
});

test('a store that cannot be opened is an error at the first flush, not a crash', (t) => {
  const writer = threadWriter(join(dir, 'no-such-dir', 'x.db'), STATEMENTS);
  writer.write([[2, [['s', 1, '{}']]]]);
  t.throws(() => writer.flush(), { message: /the store writer could not open/ });
  writer.close();
});

test('a temporary store goes at close once the writer closed its connection', (t) => {
  const store = openStore(undefined);
  const writer = threadWriter(store.path, STATEMENTS);
  writer.write([[2, [['s', 1, '{}']]]]);
  writer.close();
  t.is(store.db.prepare('SELECT count(*) FROM events').pluck().get(), 1);
  store.close();
  t.false(existsSync(store.path));
  t.false(existsSync(`${store.path}-wal`));
});
