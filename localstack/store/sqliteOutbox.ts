// The local outbox: the side effects of committed decisions, kept in the commit's transaction and
// handed to the dispatcher after it (handlers/dispatch), as DynamoDB Streams hand the cloud's commits
// to the dispatch function. An effect leaves the outbox only once every port took it.
import type { FactoryDb } from './schema.ts';

export type OutboxEntry = {
  readonly streamId: string;
  readonly position: number;
  readonly effects: readonly unknown[];
};

export const sqliteOutbox = (db: FactoryDb) => {
  const selectPending = db.prepare<[], { stream_id: string; position: number; effects: string }>(
    'SELECT stream_id, position, effects FROM outbox ORDER BY stream_id, position',
  );
  const remove = db.prepare('DELETE FROM outbox WHERE stream_id = ? AND position = ?');
  return {
    pending: (): OutboxEntry[] =>
      selectPending
        .all()
        .map((r) => ({ streamId: r.stream_id, position: r.position, effects: JSON.parse(r.effects) as unknown[] })),
    done: (entry: Pick<OutboxEntry, 'streamId' | 'position'>): void => void remove.run(entry.streamId, entry.position),
  };
};
