// The replay's own books, whichever path carries the messages: how far the recording got, what each
// message became (received = accepted + rejected + duplicates), and what was refused with its reason
// (kept in the dead letters too). Each commit writes them in the same transaction as the pipeline's
// writes, then dispatches the outbox and fires due heartbeat timers (localCloud.ts), so a replay
// killed at any point resumes after its last commit as if it had run through.
import type { FactoryDb } from '../store/schema.ts';
import type { LocalCloud } from './localCloud.ts';
import { storeReader, type StoredMachine } from './storeReadModel.ts';

/** What a dead letter keeps of a message: the JSON as received, or its bytes in base64. */
export type RawMessage = { readonly payload?: unknown; readonly payloadB64?: string };

export type Refusal = {
  readonly line: number;
  readonly t: number;
  readonly topic: string;
  readonly reason: string;
  readonly raw: RawMessage;
};

export const openReplayLedger = (
  db: FactoryDb,
  cloud: LocalCloud,
  machines: ReadonlyMap<string, StoredMachine>,
  source: { readonly id: string; readonly path: string },
) => {
  const selectSource = db.prepare<
    [string],
    { lines_done: number; received: number; accepted: number; rejected: number; duplicates: number }
  >('SELECT lines_done, received, accepted, rejected, duplicates FROM replay_sources WHERE source_id = ?');
  const insertRejection = db.prepare(
    'INSERT OR IGNORE INTO replay_rejections (source_id, line, topic, reason) VALUES (?, ?, ?, ?)',
  );
  const insertDeadLetter = db.prepare(
    'INSERT INTO dead_letters (source, reason, topic, payload, payload_b64, received_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const upsertSource =
    db.prepare(`INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (source_id) DO UPDATE SET path = excluded.path, lines_done = excluded.lines_done, received = excluded.received,
      accepted = excluded.accepted, rejected = excluded.rejected, duplicates = excluded.duplicates`);
  const reader = storeReader(db);
  const keepLetter = (r: Refusal): void => {
    insertDeadLetter.run(
      `replay:${source.path}:${r.line}`,
      r.reason,
      r.topic,
      r.raw.payload === undefined ? null : JSON.stringify(r.raw.payload),
      r.raw.payloadB64 ?? null,
      r.t,
    );
  };

  const stored = selectSource.get(source.id);
  const counters = {
    received: stored?.received ?? 0,
    accepted: stored?.accepted ?? 0,
    rejected: stored?.rejected ?? 0,
    duplicates: stored?.duplicates ?? 0,
  };
  let lastLine = stored?.lines_done ?? 0;
  let lastT = -Infinity;
  let chain: Promise<void> = Promise.resolve();

  return {
    linesDone: stored?.lines_done ?? 0,
    /** A line has been taken in (its outcome is booked when its batch commits). */
    saw: (line: number, t: number): void => {
      lastLine = Math.max(lastLine, line);
      lastT = Math.max(lastT, t);
    },
    accepted: (): void => {
      counters.received += 1;
      counters.accepted += 1;
    },
    duplicate: (): void => {
      counters.received += 1;
      counters.duplicates += 1;
    },
    /** A message kept in the dead letters without counting as refused (a redelivery of a refused one). */
    deadLetter: keepLetter,
    /** A refused line, with `deadLetter` false when the pipeline's own dead-letter queue already keeps it. */
    refused: (r: Refusal, deadLetter = true): void => {
      counters.received += 1;
      counters.rejected += 1;
      insertRejection.run(source.id, r.line, r.topic, r.reason);
      if (deadLetter) keepLetter(r);
    },
    /**
     * Runs `write` and the books in one transaction; then sends the outbox and fires due timers.
     * Commits run one after another; a failed one fails every later one.
     */
    commit: (write: () => Promise<void>): Promise<void> =>
      (chain = chain.then(async () => {
        const before = { ...counters };
        db.exec('BEGIN IMMEDIATE');
        try {
          await write();
          upsertSource.run(
            source.id,
            source.path,
            lastLine,
            counters.received,
            counters.accepted,
            counters.rejected,
            counters.duplicates,
          );
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          // What this process holds in memory of the batch is gone with it.
          cloud.checkpoints.clear();
          Object.assign(counters, before);
          throw error;
        }
        await cloud.dispatch();
        if (!Number.isFinite(lastT)) return;
        for (const key of await cloud.fireDueTimers(lastT)) {
          const runtime = machines.get(key);
          if (runtime !== undefined) reader.refresh(runtime);
        }
        await cloud.dispatch();
      })),
  };
};

export type ReplayLedger = ReturnType<typeof openReplayLedger>;
