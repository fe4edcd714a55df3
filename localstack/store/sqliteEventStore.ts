// The event store on SQLite: a stream is one row per commit plus a head row (its checkpoint) whose
// position and version are the concurrency check; a transaction makes each commit all-or-nothing.
import * as E from 'fp-ts/lib/Either.js';
import {
  concurrencyConflict,
  matchesExpectedVersion,
  type AppendError,
  type AppendResult,
  type Checkpoint,
  type Commit,
  type CommitResult,
  type ConcurrencyConflict,
  type EventStore,
  type ExpectedVersion,
  type ReadStreamResult,
} from '../../handlers/ports/eventStore.ts';
import type { FactoryDb } from './schema.ts';

type Head = { position: number; version: number; state: string | null };

export const sqliteEventStore = <Ev>(db: FactoryDb): EventStore<Ev> => {
  const selectHead = db.prepare<[string], Head>('SELECT position, version, state FROM checkpoints WHERE stream_id = ?');
  // From the commit that holds `from` on: the last one that starts at or before it.
  const selectCommits = db.prepare<[{ stream: string; from: number }], { first_version: number; events: string }>(
    'SELECT first_version, events FROM commits WHERE stream_id = @stream AND position >= (SELECT COALESCE(MAX(position), 1) FROM commits WHERE stream_id = @stream AND first_version <= @from) ORDER BY position',
  );
  const insertCommit = db.prepare(
    'INSERT INTO commits (stream_id, position, first_version, events) VALUES (?, ?, ?, ?)',
  );
  const insertEffects = db.prepare('INSERT INTO outbox (stream_id, position, effects) VALUES (?, ?, ?)');
  const upsertHead = db.prepare(`INSERT INTO checkpoints (stream_id, position, version, state) VALUES (?, ?, ?, ?)
    ON CONFLICT (stream_id) DO UPDATE SET position = excluded.position, version = excluded.version, state = excluded.state`);
  const headOf = (streamId: string): Head => selectHead.get(streamId) ?? { position: 0, version: 0, state: null };

  const read = db.transaction((streamId: string, fromVersion: number): ReadStreamResult<Ev> => {
    const events: { version: number; event: Ev }[] = [];
    for (const row of selectCommits.iterate({ stream: streamId, from: fromVersion })) {
      (JSON.parse(row.events) as Ev[]).forEach((event, i) => {
        if (row.first_version + i >= fromVersion) events.push({ version: row.first_version + i, event });
      });
    }
    return { events, currentVersion: headOf(streamId).version };
  });

  /** Writes a commit on `head`: its events as one row, its effects to the outbox, the new head. */
  const write = (
    streamId: string,
    head: Head,
    events: readonly Ev[],
    state: string | null,
    effects: readonly unknown[],
  ): CommitResult => {
    const position = head.position + 1;
    if (events.length > 0) insertCommit.run(streamId, position, head.version + 1, JSON.stringify(events));
    if (effects.length > 0) insertEffects.run(streamId, position, JSON.stringify(effects));
    upsertHead.run(streamId, position, head.version + events.length, state);
    return { position, nextVersion: head.version + events.length };
  };

  const append = db.transaction(
    (streamId: string, expected: ExpectedVersion, events: readonly Ev[]): E.Either<AppendError, AppendResult> => {
      const head = headOf(streamId);
      if (!matchesExpectedVersion(expected, head.version))
        return E.left(concurrencyConflict(streamId, expected, head.version));
      if (events.length === 0) return E.right({ nextVersion: head.version });
      return E.right({ nextVersion: write(streamId, head, events, head.state, []).nextVersion });
    },
  );

  const commit = db.transaction(
    (streamId: string, expected: number, batch: Commit<Ev>): E.Either<ConcurrencyConflict, CommitResult> => {
      const head = headOf(streamId);
      if (head.position !== expected) return E.left(concurrencyConflict(streamId, expected, head.position));
      return E.right(write(streamId, head, batch.events, JSON.stringify(batch.checkpoint), batch.effects));
    },
  );

  return {
    readStream: async (streamId, options = {}) => read(streamId, options.fromVersion ?? 1),
    // IMMEDIATE takes the write lock before reading the head, so another connection cannot slip in between.
    appendToStream: async (streamId, expected, events) =>
      db.inTransaction ? append(streamId, expected, events) : append.immediate(streamId, expected, events),
    commit: async (streamId, expected, batch) =>
      db.inTransaction ? commit(streamId, expected, batch) : commit.immediate(streamId, expected, batch),
    readCheckpoint: async <S>(streamId: string): Promise<Checkpoint<S | undefined> | undefined> => {
      const head = selectHead.get(streamId);
      return head === undefined
        ? undefined
        : {
            position: head.position,
            version: head.version,
            state: head.state === null ? undefined : (JSON.parse(head.state) as S),
          };
    },
  };
};
