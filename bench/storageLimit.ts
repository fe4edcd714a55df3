// A second limit, for this design: every line read and JSON-parsed, and each reading kept as the
// replay keeps it — in one row per machine and minute (telemetry chunks) — committed every
// COMMIT_EVERY_LINES lines with the progress row. No decoding, no domain, no decisions (a few per
// machine per commit). What a replay costs above this is the pipeline's own work; what this costs
// above the JSON.parse-only loop is durable storage.
import { openStore } from '../localstack/replay/openStore.ts';
import { ensureReplaySchema } from '../localstack/replay/replaySchema.ts';
import { recordingLines } from '../localstack/replay/recordingLines.ts';
import { COMMIT_EVERY_LINES } from '../localstack/replay/replayRecording.ts';
import { sqliteTelemetrySink } from '../localstack/store/sqliteTelemetrySink.ts';
import type { TelemetryRecord } from '../handlers/ports/telemetrySink.ts';
import type { Throughput } from './directReplayBench.ts';

type Line = {
  readonly t?: unknown;
  readonly topic?: unknown;
  readonly payload?: { readonly id?: unknown; readonly metrics?: Record<string, unknown> };
};

export const parseAndStoreOnly = async (path: string): Promise<Throughput> => {
  const store = openStore(undefined);
  try {
    const { db } = store;
    ensureReplaySchema(db);
    const sink = sqliteTelemetrySink(db);
    const progress =
      db.prepare(`INSERT INTO replay_sources (source_id, path, lines_done, received, accepted, rejected, duplicates) VALUES ('limit', ?, ?, ?, 0, 0, 0)
      ON CONFLICT (source_id) DO UPDATE SET lines_done = excluded.lines_done, received = excluded.received`);
    let records: TelemetryRecord[] = [];
    const commit = async (linesDone: number): Promise<void> => {
      db.exec('BEGIN IMMEDIATE');
      await sink.write(records);
      progress.run(path, linesDone, linesDone);
      db.exec('COMMIT');
      records = [];
    };
    const start = performance.now();
    let messages = 0;
    for await (const { line, text } of recordingLines(path)) {
      messages += 1;
      let parsed: Line;
      try {
        parsed = JSON.parse(text) as Line;
      } catch {
        continue;
      }
      const metrics = parsed.payload?.metrics;
      if (typeof parsed.topic === 'string' && typeof parsed.payload?.id === 'string' && typeof metrics === 'object') {
        const [, factoryId = '', lineId = '', machineId = ''] = parsed.topic.split('/');
        const ts = typeof parsed.t === 'number' ? parsed.t : Date.parse(String(parsed.t));
        const measures = Object.fromEntries(
          Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number'),
        );
        if (Number.isSafeInteger(ts))
          records.push({ factoryId, lineId, machineId, messageId: parsed.payload.id, ts, measures });
      }
      if (line % COMMIT_EVERY_LINES === 0) await commit(line);
    }
    await commit(messages);
    const ms = performance.now() - start;
    return { messages, seconds: ms / 1000, perS: messages / (ms / 1000) };
  } finally {
    store.close();
  }
};
