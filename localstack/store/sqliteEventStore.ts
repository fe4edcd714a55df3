// The event store on SQLite: the (stream_id, version) primary key is the concurrency check, and a
// transaction makes a multi-event append all-or-nothing.
import * as E from 'fp-ts/lib/Either.js';
import { concurrencyConflict, matchesExpectedVersion, type AppendError, type AppendResult, type EventStore, type ExpectedVersion, type ReadStreamResult, type Snapshot } from '../../handlers/ports/eventStore.ts';
import type { FactoryDb } from './schema.ts';

export const sqliteEventStore = <Ev>(db: FactoryDb): EventStore<Ev> => {
  const headOf = db.prepare<[string], { v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM events WHERE stream_id = ?');
  const select = db.prepare<[string, number], { version: number; event: string }>('SELECT version, event FROM events WHERE stream_id = ? AND version >= ? ORDER BY version');
  const insert = db.prepare('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');
  const upsertSnapshot = db.prepare(`INSERT INTO snapshots (stream_id, version, state) VALUES (?, ?, ?)
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state = excluded.state WHERE excluded.version >= snapshots.version`);
  const selectSnapshot = db.prepare<[string], { version: number; state: string }>('SELECT version, state FROM snapshots WHERE stream_id = ?');

  const read = db.transaction((streamId: string, fromVersion: number): ReadStreamResult<Ev> => ({
    currentVersion: headOf.get(streamId)!.v,
    events: select.all(streamId, fromVersion).map((row) => ({ version: row.version, event: JSON.parse(row.event) as Ev })),
  }));

  const append = db.transaction((streamId: string, expected: ExpectedVersion, events: readonly Ev[]): E.Either<AppendError, AppendResult> => {
    const actual = headOf.get(streamId)!.v;
    if (!matchesExpectedVersion(expected, actual)) return E.left(concurrencyConflict(streamId, expected, actual));
    events.forEach((event, i) => insert.run(streamId, actual + i + 1, JSON.stringify(event)));
    return E.right({ nextVersion: actual + events.length });
  });

  return {
    readStream: async (streamId, options = {}) => read(streamId, options.fromVersion ?? 1),
    // IMMEDIATE takes the write lock before reading the head, so another connection cannot slip in between.
    appendToStream: async (streamId, expected, events) => append.immediate(streamId, expected, events),
    writeSnapshot: async (streamId, version, state) => {
      upsertSnapshot.run(streamId, version, JSON.stringify(state));
    },
    readSnapshot: async <S>(streamId: string): Promise<Snapshot<S> | undefined> => {
      const row = selectSnapshot.get(streamId);
      return row === undefined ? undefined : { version: row.version, state: JSON.parse(row.state) as S };
    },
  };
};
