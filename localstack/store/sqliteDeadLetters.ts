// The local dead-letter queue: kept in the store so `factory dashboard` can show what was refused and why.
import type { DeadLetter, DeadLetterQueue } from '../../handlers/ports/deadLetterQueue.ts';
import type { FactoryDb } from './schema.ts';

type Row = {
  source: string;
  reason: string;
  topic: string | null;
  payload: string | null;
  payload_b64: string | null;
  received_at: number;
};

export const sqliteDeadLetters = (db: FactoryDb): DeadLetterQueue & { readonly all: () => DeadLetter[] } => {
  const insert = db.prepare(
    'INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const selectAll = db.prepare<[], Row>('SELECT * FROM dead_letters ORDER BY id');
  const insertAll = db.transaction((letters: readonly DeadLetter[]) =>
    letters.forEach((l) =>
      insert.run(
        l.source,
        l.reason,
        l.topic ?? null,
        l.payload === undefined ? null : JSON.stringify(l.payload),
        l.payloadB64 ?? null,
        l.receivedAt,
      ),
    ),
  );
  return {
    send: async (letters) => {
      insertAll(letters);
      return { accepted: letters.length, rejected: [] };
    },
    all: () =>
      selectAll.all().map((r) => ({
        source: r.source,
        reason: r.reason,
        ...(r.topic === null ? {} : { topic: r.topic }),
        ...(r.payload === null ? {} : { payload: JSON.parse(r.payload) as unknown }),
        ...(r.payload_b64 === null ? {} : { payloadB64: r.payload_b64 }),
        receivedAt: r.received_at,
      })),
  };
};
