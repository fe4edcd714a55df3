// A second limit, for this design: every line read and JSON-parsed, and each message written as the
// replay writes an accepted reading — two event rows (accepted, then settled) and a telemetry row —
// into the same SQLite schema, committed every COMMIT_EVERY_LINES lines with the progress row. No
// decoding, no domain. What a replay costs above this is the pipeline's own work; what this costs
// above the JSON.parse-only loop is durable storage.
import { openStore } from '../localstack/replay/openStore.ts';
import { ensureReplaySchema } from '../localstack/replay/replaySchema.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { COMMIT_EVERY_LINES } from '../localstack/replay/replayRecording.ts';
import type { Throughput } from './directReplayBench.ts';

type Line = { readonly topic?: unknown; readonly payload?: { readonly id?: unknown; readonly metrics?: unknown } };

export const parseAndStoreOnly = async (path: string): Promise<Throughput> => {
  const store = openStore(undefined);
  try {
    const { db } = store;
    ensureReplaySchema(db);
    const insertEvent = db.prepare('INSERT INTO events (stream_id, version, event) VALUES (?, ?, ?)');
    const insertTelemetry = db.prepare('INSERT OR IGNORE INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures) VALUES (?, ?, ?, ?, ?, ?)');
    const progress = db.prepare(`INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates) VALUES ('limit', ?, ?, ?, 0, 0, 0)
      ON CONFLICT (source_id) DO UPDATE SET lines_done = excluded.lines_done, received = excluded.received`);
    const versions = new Map<string, number>();
    let rows: [string, number, string, string, number][] = [];
    const commit = db.transaction((linesDone: number) => {
      for (const [stream, version, event, metrics, ts] of rows) {
        insertEvent.run(stream, version, event);
        insertEvent.run(stream, version + 1, event);
        insertTelemetry.run(`${stream}#${version}`, 'f', 'l', stream, ts, metrics);
      }
      progress.run(path, linesDone, linesDone);
    });
    const start = performance.now();
    let messages = 0;
    for await (const { line, text } of recordingLines(path)) {
      messages += 1;
      let parsed: Line;
      try { parsed = JSON.parse(text) as Line; } catch { continue; }
      if (typeof parsed.topic === 'string' && parsed.payload !== undefined) {
        const version = (versions.get(parsed.topic) ?? 0) + 2;
        versions.set(parsed.topic, version);
        rows.push([parsed.topic, version - 1, text, JSON.stringify(parsed.payload.metrics ?? {}), line]);
      }
      if (line % COMMIT_EVERY_LINES === 0) { commit(line); rows = []; }
    }
    commit(messages);
    const ms = performance.now() - start;
    return { messages, seconds: ms / 1000, perS: messages / (ms / 1000) };
  } finally {
    store.close();
  }
};
