import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFactoryDb, SCHEMA_VERSION } from './schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-schema-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A store as version 1 of the program left it: telemetry keyed by message id, with its index. */
const versionOneStore = (path: string): void => {
  const db = new Database(path);
  db.exec(`
CREATE TABLE telemetry (message_id TEXT PRIMARY KEY, factory_id TEXT NOT NULL, line_id TEXT NOT NULL,
  machine_id TEXT NOT NULL, ts INTEGER NOT NULL, measures TEXT NOT NULL);
CREATE INDEX telemetry_by_machine_time ON telemetry (factory_id, line_id, machine_id, ts);
INSERT INTO telemetry VALUES ('m-2', 'f1', 'l1', 'press-01', 2000, '{"temp":2}'), ('m-1', 'f1', 'l1', 'press-01', 1000, '{"temp":1}'),
  ('m-3', 'f1', 'l2', 'lathe-01', 1500, '{"rpm":900.5}');`);
  db.pragma('user_version = 1');
  db.close();
};

const rowsOf = (db: Database.Database): unknown[] =>
  db.prepare('SELECT message_id, factory_id, line_id, machine_id, ts, measures FROM telemetry ORDER BY message_id').raw().all();

test('a version 1 store is migrated on open: every telemetry row kept, one WITHOUT ROWID table', (t) => {
  const path = join(dir, 'v1.db');
  versionOneStore(path);
  const db = openFactoryDb(path);
  t.is(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  t.deepEqual(rowsOf(db), [
    ['m-1', 'f1', 'l1', 'press-01', 1000, '{"temp":1}'],
    ['m-2', 'f1', 'l1', 'press-01', 2000, '{"temp":2}'],
    ['m-3', 'f1', 'l2', 'lathe-01', 1500, '{"rpm":900.5}'],
  ]);
  const tables = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE tbl_name LIKE 'telemetry%'").all();
  t.deepEqual(tables.map((row) => row.name), ['telemetry']);
  t.regex(tables[0]!.sql, /WITHOUT ROWID/);
  db.close();
});

test('a migrated store opens again unchanged, and a repeated reading is still ignored', (t) => {
  const path = join(dir, 'v1-twice.db');
  versionOneStore(path);
  openFactoryDb(path).close();
  const db = openFactoryDb(path);
  db.prepare("INSERT OR IGNORE INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures) VALUES ('m-1', 'f1', 'l1', 'press-01', 1000, '{\"temp\":1}')").run();
  t.is(rowsOf(db).length, 3);
  db.close();
});

test('a store newer than the program is refused with what to do', (t) => {
  const path = join(dir, 'future.db');
  const future = new Database(path);
  future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  future.close();
  t.throws(() => openFactoryDb(path), { message: /newer than this program's .*upgrade the program or use another --db file/ });
});
