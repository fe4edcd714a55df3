import test from 'ava';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFactoryDb, SCHEMA_VERSION } from './schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-schema-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A store as version 1 or 2 of the program left it: every reading in the stream and the telemetry table. */
const olderStore = (path: string, version: number): void => {
  const db = new Database(path);
  db.exec(`CREATE TABLE events (stream_id TEXT NOT NULL, version INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (stream_id, version)) WITHOUT ROWID;
INSERT INTO events VALUES ('f1/l1/press-01', 1, '{"type":"WindowOpened","ts":0}');`);
  db.pragma(`user_version = ${version}`);
  db.close();
};

for (const version of [1, 2]) {
  test(`a version ${version} store is refused with the command that rebuilds it, and left as it was`, (t) => {
    const path = join(dir, `v${version}.db`);
    olderStore(path, version);
    t.throws(() => openFactoryDb(path), {
      message: new RegExp(`schema version ${version} kept every reading .*factory replay <recording> --db <new file>`),
    });
    const db = new Database(path, { readonly: true });
    t.is(db.pragma('user_version', { simple: true }), version);
    t.is(db.prepare('SELECT COUNT(*) AS n FROM events').pluck().get(), 1);
    db.close();
  });
}

test('a new store is made at the current version, and opens again unchanged', (t) => {
  const path = join(dir, 'new.db');
  openFactoryDb(path).close();
  const db = openFactoryDb(path);
  t.is(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
  t.deepEqual(
    tables.filter((name) => !name.startsWith('sqlite_')),
    ['alerts', 'checkpoints', 'commits', 'dead_letters', 'outbox', 'telemetry', 'timers'],
  );
  db.close();
});

test('a store newer than the program is refused with what to do', (t) => {
  const path = join(dir, 'future.db');
  const future = new Database(path);
  future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  future.close();
  t.throws(() => openFactoryDb(path), {
    message: /newer than this program's .*upgrade the program or use another --db file/,
  });
});
