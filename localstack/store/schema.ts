// The local stack's whole SQLite schema, in one place. WAL lets the dashboard read while the
// pipeline writes; every table is keyed so that a replayed write is a no-op (ids are the dedup keys).
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 2;

// One B-tree, clustered the way it is read (a machine's readings in time order) and written (each
// machine appends at its end). Version 1 had a rowid table, a TEXT message_id key and an index: three
// B-trees per reading, one of them filled in random order. The message id stays in the key, so a
// redelivered reading is still a no-op.
const telemetryTable = (name: string): string => `CREATE TABLE IF NOT EXISTS ${name} (
  message_id TEXT NOT NULL,
  factory_id TEXT NOT NULL,
  line_id    TEXT NOT NULL,
  machine_id TEXT NOT NULL,
  ts         INTEGER NOT NULL,        -- epoch ms
  measures   TEXT NOT NULL,           -- JSON object: measure name -> number
  PRIMARY KEY (factory_id, line_id, machine_id, ts, message_id)
) WITHOUT ROWID;`;
const TELEMETRY_TABLE = telemetryTable('telemetry');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  stream_id TEXT NOT NULL,
  version   INTEGER NOT NULL CHECK (version >= 1),
  event     TEXT NOT NULL,            -- JSON, byte for byte as appended
  PRIMARY KEY (stream_id, version)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS snapshots (
  stream_id TEXT PRIMARY KEY,
  version   INTEGER NOT NULL,
  state     TEXT NOT NULL
) WITHOUT ROWID;

-- One row per multi-measure record, as Timestream stores it: dimensions, time, measures.
${TELEMETRY_TABLE}

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
 * How every connection to a store is set up, the replay's writer thread's too: WAL lets the dashboard
 * read while the pipeline writes; NORMAL is durable across process crashes in WAL mode (only a power
 * loss can drop the last commits); a busy connection waits rather than failing at once.
 */
export const STORE_PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'];

/** Opens (creating if needed) the store at `path`; ':memory:' for a throwaway one. */
export const openFactoryDb = (path: string): FactoryDb => {
  const db = new Database(path);
  for (const pragma of STORE_PRAGMAS) db.pragma(pragma);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`store ${path}: schema version ${version} is newer than this program's ${SCHEMA_VERSION}; upgrade the program or use another --db file`);
  }
  if (version === 1) migrateFromVersion1(db);
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
};

/** Version 1 → 2: the telemetry rows move into the one-B-tree table; nothing else changed. */
const migrateFromVersion1 = (db: FactoryDb): void => {
  db.transaction(() => {
    db.exec(`${telemetryTable('telemetry_v2')}
INSERT INTO telemetry_v2 (message_id, factory_id, line_id, machine_id, ts, measures)
  SELECT message_id, factory_id, line_id, machine_id, ts, measures FROM telemetry;
DROP TABLE telemetry;
ALTER TABLE telemetry_v2 RENAME TO telemetry;`);
    db.pragma('user_version = 2');
  })();
};
