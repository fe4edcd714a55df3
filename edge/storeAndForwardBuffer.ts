// The durable store-and-forward buffer (docs/gateway-configuration.md): every message is on local disk before the
// gateway treats its reading as taken, leaves the disk only after the broker's PUBACK, and survives a
// killed process. SQLite in WAL mode: one file, crash-safe, an ordered queue by rowid.
//
// Durability: WAL + synchronous=NORMAL survives a killed process (the WAL is in the OS page cache) but
// may lose the last commits on power loss; FULL fsyncs each commit and survives both. A factory PC
// loses power; FULL is the default and costs little at sampling rates (bench/edgeBuffer.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type WhenFull = 'drop-oldest' | 'reject-new';
/** Telemetry is dropped first; a state or counts message is never dropped before telemetry (docs/gateway-configuration.md). */
export type Priority = 0 | 1;
export const priorityOf = (type: string): Priority => (type === 'telemetry' ? 0 : 1);

export type BufferedMessage = {
  readonly id: string;
  readonly machine: string;
  readonly topic: string;
  readonly type: string;
  readonly payload: string;
  readonly createdAt: number;
};
export type StoredMessage = BufferedMessage & { readonly seq: number };

export type AppendResult =
  | { readonly outcome: 'stored'; readonly dropped: readonly StoredMessage[] }
  /** The id is already waiting in the buffer (the same reading read again): stored once. */
  | { readonly outcome: 'duplicate'; readonly dropped: readonly [] }
  /** Full and `reject-new`, or full of messages that outrank it: the new message is the one dropped. */
  | { readonly outcome: 'rejected'; readonly dropped: readonly [] };

export type BufferStats = {
  readonly depth: number;
  readonly bytes: number;
  readonly oldestAgeMs: number;
  /** Dropped since the buffer was created (kept on disk: a restart does not forget them), by message type. */
  readonly dropped: Readonly<Record<string, number>>;
};

/** A named high-water mark kept in the same transaction as an append (how far another log has been copied in). */
export type BufferMark = { readonly name: string; readonly value: number };

export type StoreAndForwardBuffer = {
  /** With a mark, the mark is set in the same transaction: both or neither survive a crash. */
  readonly append: (message: BufferedMessage, mark?: BufferMark) => AppendResult;
  /** A mark's value, 0 when never set. */
  readonly mark: (name: string) => number;
  /** The next messages not yet handed out, oldest first (so per machine in order); hands them out. */
  readonly take: (limit: number) => readonly StoredMessage[];
  /** The broker acknowledged (PUBACK): the message leaves the disk. */
  readonly acknowledge: (seq: number) => void;
  /** The connection is gone: everything handed out and not acknowledged goes out again, in order. */
  readonly rewind: () => void;
  readonly stats: (now: number) => BufferStats;
  readonly close: () => void;
};

export type BufferOptions = {
  readonly dir: string;
  readonly maxBytes: number;
  readonly whenFull: WhenFull;
  readonly synchronous?: 'NORMAL' | 'FULL';
};

/** What a message costs against `maxBytes`: its topic, payload and id, plus a fixed row overhead. */
const ROW_OVERHEAD = 32;
const sizeOf = (m: BufferedMessage): number =>
  Buffer.byteLength(m.topic) + Buffer.byteLength(m.payload) + Buffer.byteLength(m.id) + ROW_OVERHEAD;

export const openStoreAndForwardBuffer = (options: BufferOptions): StoreAndForwardBuffer => {
  mkdirSync(options.dir, { recursive: true });
  const db = new Database(join(options.dir, 'buffer.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, machine TEXT NOT NULL, topic TEXT NOT NULL,
      type TEXT NOT NULL, priority INTEGER NOT NULL, payload TEXT NOT NULL, bytes INTEGER NOT NULL, createdAt INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS outbox_victims ON outbox (priority, seq);
    CREATE TABLE IF NOT EXISTS dropped (type TEXT PRIMARY KEY, n INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS marks (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`);

  const insert = db.prepare(
    'INSERT OR IGNORE INTO outbox (id, machine, topic, type, priority, payload, bytes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const exists = db.prepare('SELECT 1 FROM outbox WHERE id = ?').pluck();
  const after = db.prepare(
    'SELECT seq, id, machine, topic, type, payload, createdAt FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const victims = db.prepare(
    'SELECT seq, id, machine, topic, type, payload, createdAt, bytes FROM outbox WHERE seq > ? AND priority <= ? ORDER BY priority, seq',
  );
  const remove = db.prepare('DELETE FROM outbox WHERE seq = ? RETURNING bytes');
  const countDrop = db.prepare(
    'INSERT INTO dropped (type, n) VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = n + 1',
  );
  const totals = db.prepare(
    'SELECT count(*) AS depth, coalesce(sum(bytes), 0) AS bytes, min(createdAt) AS oldest FROM outbox',
  );
  const dropCounts = db.prepare('SELECT type, n FROM dropped');
  const setMark = db.prepare(
    'INSERT INTO marks (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );
  const getMark = db.prepare('SELECT value FROM marks WHERE name = ?').pluck();

  let bytes = (totals.get() as { bytes: number }).bytes;
  // Messages with seq <= handedOut are with the broker connection (in flight): never dropped, since
  // they may already be delivered and a drop must be exact.
  let handedOut = 0;

  const appendTx = db.transaction((message: BufferedMessage, mark: BufferMark | undefined): AppendResult => {
    // The mark moves whatever becomes of the message (stored, a duplicate, dropped when full): the
    // message was handed to the buffer, and its fate is counted like any other's.
    if (mark !== undefined) setMark.run(mark.name, mark.value);
    if (exists.get(message.id) !== undefined) return { outcome: 'duplicate', dropped: [] };
    const size = sizeOf(message);
    const priority = priorityOf(message.type);
    const dropped: StoredMessage[] = [];
    if (bytes + size > options.maxBytes) {
      if (options.whenFull === 'reject-new') {
        countDrop.run(message.type);
        return { outcome: 'rejected', dropped: [] };
      }
      // Find room among the oldest of the lowest priority not above the new message's own: if that is
      // not enough, the new message is the lowest-priority one and is dropped itself.
      let room = options.maxBytes - bytes;
      const chosen: (StoredMessage & { bytes: number })[] = [];
      for (const row of victims.iterate(handedOut, priority) as IterableIterator<StoredMessage & { bytes: number }>) {
        if (room >= size) break;
        chosen.push(row);
        room += row.bytes;
      }
      if (room < size) {
        countDrop.run(message.type);
        return { outcome: 'rejected', dropped: [] };
      }
      for (const row of chosen) {
        remove.run(row.seq);
        bytes -= row.bytes;
        countDrop.run(row.type);
        const { bytes: _bytes, ...stored } = row;
        dropped.push(stored);
      }
    }
    insert.run(
      message.id,
      message.machine,
      message.topic,
      message.type,
      priority,
      message.payload,
      size,
      message.createdAt,
    );
    bytes += size;
    return { outcome: 'stored', dropped };
  });

  // PUBACKs are applied in batches: one commit (one fsync under FULL) for all that arrived in one
  // turn of the event loop. A delete lost in a crash only means a redelivery, which the id dedups.
  let acks: number[] = [];
  const applyAcks = db.transaction((seqs: readonly number[]) => {
    for (const seq of seqs) {
      const row = remove.get(seq) as { bytes: number } | undefined;
      if (row !== undefined) bytes -= row.bytes;
    }
  });
  const flushAcks = () => {
    if (acks.length === 0 || !db.open) return;
    const seqs = acks;
    acks = [];
    applyAcks(seqs);
  };

  return {
    append: (message, mark) => {
      flushAcks();
      return appendTx(message, mark);
    },
    mark: (name) => (getMark.get(name) as number | undefined) ?? 0,
    take: (limit) => {
      flushAcks();
      const rows = after.all(handedOut, limit) as StoredMessage[];
      const last = rows[rows.length - 1];
      if (last !== undefined) handedOut = last.seq;
      return rows;
    },
    acknowledge: (seq) => {
      if (acks.length === 0) setImmediate(flushAcks);
      acks.push(seq);
    },
    rewind: () => {
      handedOut = 0;
    },
    stats: (now) => {
      flushAcks();
      const t = totals.get() as { depth: number; bytes: number; oldest: number | null };
      const dropped = Object.fromEntries((dropCounts.all() as { type: string; n: number }[]).map((r) => [r.type, r.n]));
      return {
        depth: t.depth,
        bytes: t.bytes,
        oldestAgeMs: t.oldest === null ? 0 : Math.max(0, now - t.oldest),
        dropped,
      };
    },
    close: () => {
      flushAcks();
      if (db.open) db.close();
    },
  };
};
