// The local stack's whole SQLite schema, in one place. WAL lets the dashboard read while the
// pipeline writes; every table is keyed so that a replayed write is a no-op (ids are the dedup keys).
//
// Schema 3 keeps decisions, not readings: a machine's stream is one row per commit (the batch's
// decisions), its checkpoint one row replaced at every commit, and its readings one row per machine
// and minute in the telemetry table, as time-series stores keep them. A store of schema 1 or 2 held
// every reading in the stream: it is refused with the command that rebuilds it from its recording.
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 3;

const SCHEMA = `
-- A stream is its commits: each holds the events one batch appended, numbered from first_version.
CREATE TABLE IF NOT EXISTS commits (
  stream_id     TEXT NOT NULL,
  position      INTEGER NOT NULL CHECK (position >= 1),
  first_version INTEGER NOT NULL CHECK (first_version >= 1),
  events        TEXT NOT NULL,        -- JSON array, byte for byte as appended
  PRIMARY KEY (stream_id, position)
) WITHOUT ROWID;

-- The head of each stream: how many commits and events, and the writer's checkpoint (JSON).
CREATE TABLE IF NOT EXISTS checkpoints (
  stream_id TEXT PRIMARY KEY,
  position  INTEGER NOT NULL,
  version   INTEGER NOT NULL,
  state     TEXT
) WITHOUT ROWID;

-- Side effects of committed decisions not yet sent (alerts, OEE values, timers): written in the
-- commit's transaction, deleted once dispatched.
CREATE TABLE IF NOT EXISTS outbox (
  stream_id TEXT NOT NULL,
  position  INTEGER NOT NULL,
  effects   TEXT NOT NULL,
  PRIMARY KEY (stream_id, position)
) WITHOUT ROWID;

-- Readings in chunks of one machine-minute, columnar (telemetryChunk.ts): dimensions, the minute, then
-- each reading's message id, offset from the minute and measures. A rowid table: a chunk of a few
-- hundred bytes to kilobytes fits its page, where a WITHOUT ROWID row that large spills to overflow pages.
CREATE TABLE IF NOT EXISTS telemetry (
  id         INTEGER PRIMARY KEY,
  factory_id TEXT NOT NULL,
  line_id    TEXT NOT NULL,
  machine_id TEXT NOT NULL,
  minute     INTEGER NOT NULL,        -- epoch ms / 60000
  readings   TEXT NOT NULL,
  UNIQUE (factory_id, line_id, machine_id, minute)
);

CREATE TABLE IF NOT EXISTS alerts (
  alert_id   TEXT PRIMARY KEY,
  factory_id TEXT NOT NULL,
  line_id    TEXT NOT NULL,
  machine_id TEXT NOT NULL,
  detector   TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('RAISED', 'CLEARED')),
  at         INTEGER NOT NULL,
  message    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (at);

CREATE TABLE IF NOT EXISTS dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source      TEXT NOT NULL,
  reason      TEXT NOT NULL,
  topic       TEXT,
  payload     TEXT,                   -- JSON when the message parsed
  payload_b64 TEXT,                   -- raw bytes otherwise
  received_at INTEGER NOT NULL
);

-- The local EventBridge Scheduler: one timer per (machine_key, kind), polled by the local stack.
CREATE TABLE IF NOT EXISTS timers (
  machine_key TEXT NOT NULL,
  kind        TEXT NOT NULL,
  fire_at     INTEGER NOT NULL,
  payload     TEXT NOT NULL,
  PRIMARY KEY (machine_key, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timers_by_fire_at ON timers (fire_at);
`;

export type FactoryDb = Database.Database;

/**
 * How every connection to a store is set up: WAL lets the dashboard read while the pipeline writes;
 * NORMAL is durable across process crashes in WAL mode (only a power loss can drop the last commits);
 * a busy connection waits rather than failing at once.
 */
export const STORE_PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'];

/** A store this program cannot use as it is; the message says what to do. */
export class StoreVersionError extends Error {}

/** Opens (creating if needed) the store at `path`; ':memory:' for a throwaway one. */
export const openFactoryDb = (path: string): FactoryDb => {
  const db = new Database(path);
  for (const pragma of STORE_PRAGMAS) db.pragma(pragma);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new StoreVersionError(
      `store ${path}: schema version ${version} is newer than this program's ${SCHEMA_VERSION}; upgrade the program or use another --db file`,
    );
  }
  if (version === 1 || version === 2) {
    db.close();
    throw new StoreVersionError(
      `store ${path}: schema version ${version} kept every reading in the machine streams, which this version no longer reads; ` +
        `replay its recordings into a new store (factory replay <recording> --db <new file>), or delete ${path}`,
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
};
