// A recording that grew (lines appended, as a recorder does) is the same source as before, resumed
// after the lines already replayed — not a new source read from line 1, whose every line would count
// again as received and be refused as too late. A source's identity is the hash of its bytes; for a
// recording that begins with an already replayed one, that is the replayed one's: each fully replayed
// source keeps the hash of its text (line by line, as replayed), and a new file whose first lines hash
// the same continues that source.
import { createHash, type Hash } from 'node:crypto';
import type { FactoryDb } from '../store/schema.ts';
import { recordingLines } from './recordingLines.ts';
import { ensureReplaySchema } from './replaySchema.ts';

const ensureTable = (db: FactoryDb): void => {
  ensureReplaySchema(db);
  db.exec(`CREATE TABLE IF NOT EXISTS replay_source_texts (
  source_id   TEXT PRIMARY KEY,   -- a replay_sources row
  lines       INTEGER NOT NULL,   -- its text up to this line was replayed whole
  text_sha256 TEXT NOT NULL       -- of each non-blank line up to it, as "<number>:<text>\\n"
) WITHOUT ROWID`);
};

export type RecordingText = { readonly lastLine: number; readonly sha256: string };
type Candidate = { readonly source_id: string; readonly lines: number; readonly text_sha256: string };

const feed = (hash: Hash, line: number, text: string): void => {
  hash.update(`${line}:${text}\n`);
};

/**
 * The source id to replay `path` under: `contentId` (the hash of its bytes) when the store knows it or
 * no replayed source is a prefix of it; else the longest replayed source it begins with. Also returns
 * the text's hash, which `rememberText` keeps once the replay is done.
 */
export const resolveSourceId = async (
  db: FactoryDb,
  path: string,
  contentId: string,
): Promise<{ readonly id: string; readonly text: RecordingText }> => {
  ensureTable(db);
  const known =
    db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM replay_sources WHERE source_id = ?').get(contentId)
      ?.n === 1;
  const candidates = known
    ? []
    : db
        .prepare<[], Candidate>(
          `SELECT t.source_id, t.lines, t.text_sha256 FROM replay_source_texts t
    JOIN replay_sources s USING (source_id) WHERE s.lines_done = t.lines ORDER BY t.lines DESC`,
        )
        .all();
  const hash = createHash('sha256');
  const pending = [...candidates].sort((a, b) => a.lines - b.lines);
  const matched: Candidate[] = [];
  const settle = (beforeLine: number): void => {
    while (pending[0] !== undefined && pending[0].lines < beforeLine) {
      const candidate = pending.shift()!;
      if (hash.copy().digest('hex') === candidate.text_sha256) matched.push(candidate);
    }
  };
  let lastLine = 0;
  for await (const { line, text } of recordingLines(path)) {
    settle(line);
    feed(hash, line, text);
    lastLine = line;
  }
  settle(Number.POSITIVE_INFINITY);
  const sha256 = hash.digest('hex');
  // A source that is the whole file (not a strict prefix) is the same text under other bytes (gzip): resume it too.
  const longest = matched.sort((a, b) => b.lines - a.lines)[0];
  return { id: longest?.source_id ?? contentId, text: { lastLine, sha256 } };
};

/** After a replay: the text of `sourceId` is replayed whole up to its last line, so a longer file can continue it. */
export const rememberText = (db: FactoryDb, sourceId: string, text: RecordingText): void => {
  ensureTable(db);
  const done = db
    .prepare<[string], { lines_done: number }>('SELECT lines_done FROM replay_sources WHERE source_id = ?')
    .get(sourceId)?.lines_done;
  if (done === undefined || done !== text.lastLine) return;
  db.prepare(
    'INSERT INTO replay_source_texts (source_id, lines, text_sha256) VALUES (?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET lines = excluded.lines, text_sha256 = excluded.text_sha256',
  ).run(sourceId, text.lastLine, text.sha256);
};
