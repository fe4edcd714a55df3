// The local time-series sink: readings kept in one row per machine and minute (telemetryChunk.ts), as
// time-series stores keep them, so a replay writes a row per machine-minute rather than per reading.
// A message id already in its minute is ignored: a redelivered reading is never counted twice.
import type { TelemetryRecord, TelemetrySink } from '../../handlers/ports/telemetrySink.ts';
import type { Rejected } from '../../handlers/ports/writeReport.ts';
import type { FactoryDb } from './schema.ts';
import { chunkRecords, emptyChunk, mergeIntoChunk, minuteOf, type TelemetryChunk } from './telemetryChunk.ts';

type Row = { factory_id: string; line_id: string; machine_id: string; minute: number; readings: string };

const problemOf = (record: TelemetryRecord): string | undefined => {
  const bad = Object.entries(record.measures).find(([, v]) => !Number.isFinite(v));
  if (bad !== undefined)
    return `telemetry ${record.messageId}: measure ${bad[0]} is ${String(bad[1])}, expected a finite number`;
  return Number.isSafeInteger(record.ts)
    ? undefined
    : `telemetry ${record.messageId}: ts ${record.ts} is not an epoch-millisecond integer`;
};

export type SqliteTelemetrySink = TelemetrySink & {
  readonly all: () => TelemetryRecord[];
  /** One machine's readings with `fromTs <= ts < toTs`, in time order. */
  readonly machineReadings: (
    factoryId: string,
    lineId: string,
    machineId: string,
    fromTs?: number,
    toTs?: number,
  ) => TelemetryRecord[];
  readonly latestReading: (factoryId: string, lineId: string, machineId: string) => TelemetryRecord | undefined;
};

export const sqliteTelemetrySink = (db: FactoryDb): SqliteTelemetrySink => {
  const selectChunk = db.prepare<[string, string, string, number], { readings: string }>(
    'SELECT readings FROM telemetry WHERE factory_id = ? AND line_id = ? AND machine_id = ? AND minute = ?',
  );
  const upsertChunk =
    db.prepare(`INSERT INTO telemetry (factory_id, line_id, machine_id, minute, readings) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (factory_id, line_id, machine_id, minute) DO UPDATE SET readings = excluded.readings`);
  const selectAll = db.prepare<[], Row>('SELECT * FROM telemetry ORDER BY factory_id, line_id, machine_id, minute');
  const selectMachine = db.prepare<[string, string, string, number, number], Row>(
    'SELECT * FROM telemetry WHERE factory_id = ? AND line_id = ? AND machine_id = ? AND minute >= ? AND minute <= ? ORDER BY minute',
  );

  const selectLatest = db.prepare<[string, string, string], Row>(
    'SELECT * FROM telemetry WHERE factory_id = ? AND line_id = ? AND machine_id = ? ORDER BY minute DESC LIMIT 1',
  );

  const writeAll = db.transaction((records: readonly TelemetryRecord[]) => {
    const rejected: Rejected<TelemetryRecord>[] = [];
    const byChunk = new Map<string, { key: [string, string, string, number]; records: TelemetryRecord[] }>();
    for (const record of records) {
      const reason = problemOf(record);
      if (reason !== undefined) {
        rejected.push({ item: record, retryable: false, reason });
        continue;
      }
      const minute = minuteOf(record.ts);
      const id = `${record.factoryId}\u0000${record.lineId}\u0000${record.machineId}\u0000${minute}`;
      let group = byChunk.get(id);
      if (group === undefined)
        byChunk.set(id, (group = { key: [record.factoryId, record.lineId, record.machineId, minute], records: [] }));
      group.records.push(record);
    }
    for (const { key, records: fresh } of byChunk.values()) {
      const stored = selectChunk.get(...key);
      const chunk: TelemetryChunk =
        stored === undefined ? emptyChunk() : (JSON.parse(stored.readings) as TelemetryChunk);
      if (mergeIntoChunk(chunk, key[3], fresh) > 0) upsertChunk.run(...key, JSON.stringify(chunk));
    }
    return { accepted: records.length - rejected.length, rejected };
  });

  const recordsOf = (row: Row): TelemetryRecord[] =>
    chunkRecords(
      { factoryId: row.factory_id, lineId: row.line_id, machineId: row.machine_id },
      row.minute,
      JSON.parse(row.readings) as TelemetryChunk,
    );

  return {
    write: async (records) => writeAll(records),
    all: () => selectAll.all().flatMap(recordsOf),
    machineReadings: (factoryId, lineId, machineId, fromTs = -8.64e15, toTs = 8.64e15) =>
      selectMachine
        .all(factoryId, lineId, machineId, minuteOf(fromTs), minuteOf(toTs))
        .flatMap(recordsOf)
        .filter((r) => r.ts >= fromTs && r.ts < toTs),
    latestReading: (factoryId, lineId, machineId) => {
      const row = selectLatest.get(factoryId, lineId, machineId);
      return row === undefined ? undefined : recordsOf(row).at(-1);
    },
  };
};
