// Tables of the replay itself, beside the pipeline's stores in the same SQLite file: how far each
// recording got (so a killed replay resumes where its last commit ended) and what it refused.
import type { FactoryDb } from '../store/schema.ts';

export const ensureReplaySchema = (db: FactoryDb): void => {
  db.exec(`
CREATE TABLE IF NOT EXISTS replay_sources (
  source_id  TEXT PRIMARY KEY,          -- sha256 of the recording's bytes: a renamed copy is the same source
  path       TEXT NOT NULL,
  lines_done INTEGER NOT NULL,          -- every line up to this one is committed with its effects
  received   INTEGER NOT NULL,
  accepted   INTEGER NOT NULL,
  rejected   INTEGER NOT NULL,
  duplicates INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replay_rejections (
  source_id TEXT NOT NULL,
  line      INTEGER NOT NULL,
  topic     TEXT NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (source_id, line)
) WITHOUT ROWID;
`);
};
