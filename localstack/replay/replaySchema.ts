// Tables of the replay itself, beside the pipeline's stores in the same SQLite file: how far each
// recording got (so a killed replay resumes where its last commit ended) and what it refused.
import * as E from 'fp-ts/lib/Either.js';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';
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
CREATE TABLE IF NOT EXISTS site_config (
  id   INTEGER PRIMARY KEY CHECK (id = 1),  -- the site the store was filled with, so a reader needs only --db
  json TEXT NOT NULL
);
`);
};

export const saveSiteConfig = (db: FactoryDb, site: SiteConfig): void => {
  db.prepare(
    'INSERT INTO site_config (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json',
  ).run(JSON.stringify(site));
};

/** The site a store was filled with; undefined for a store no replay has written. */
export const loadSiteConfig = (db: FactoryDb): E.Either<string, SiteConfig | undefined> => {
  ensureReplaySchema(db);
  const row = db.prepare<[], { json: string }>('SELECT json FROM site_config WHERE id = 1').get();
  if (row === undefined) return E.right(undefined);
  const decoded = decodeSiteConfig(JSON.parse(row.json));
  return E.isLeft(decoded) ? E.left(decoded.left.join('; ')) : decoded;
};
