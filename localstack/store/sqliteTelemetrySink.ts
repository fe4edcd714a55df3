// The local time-series sink: one row per multi-measure record; the message id is part of the
// primary key, so a redelivered reading is ignored rather than counted twice.
import type { TelemetryRecord, TelemetrySink } from '../../handlers/ports/telemetrySink.ts';
import type { Rejected } from '../../handlers/ports/writeReport.ts';
import type { FactoryDb } from './schema.ts';

type Row = { message_id: string; factory_id: string; line_id: string; machine_id: string; ts: number; measures: string };

export const sqliteTelemetrySink = (db: FactoryDb): TelemetrySink & { readonly all: () => TelemetryRecord[] } => {
  const insert = db.prepare(`INSERT INTO telemetry (message_id, factory_id, line_id, machine_id, ts, measures)
    VALUES (@messageId, @factoryId, @lineId, @machineId, @ts, @measures) ON CONFLICT DO NOTHING`);
  const selectAll = db.prepare<[], Row>('SELECT * FROM telemetry ORDER BY factory_id, line_id, machine_id, ts, message_id');
  const writeAll = db.transaction((records: readonly TelemetryRecord[]) => {
    const rejected: Rejected<TelemetryRecord>[] = [];
    for (const record of records) {
      const bad = Object.entries(record.measures).find(([, v]) => !Number.isFinite(v));
      if (bad !== undefined || !Number.isSafeInteger(record.ts)) {
        rejected.push({ item: record, retryable: false, reason: bad !== undefined
          ? `telemetry ${record.messageId}: measure ${bad[0]} is ${String(bad[1])}, expected a finite number`
          : `telemetry ${record.messageId}: ts ${record.ts} is not an epoch-millisecond integer` });
        continue;
      }
      insert.run({ ...record, measures: JSON.stringify(record.measures) });
    }
    return { accepted: records.length - rejected.length, rejected };
  });
  return {
    write: async (records) => writeAll(records),
    all: () => selectAll.all().map((row) => ({ factoryId: row.factory_id, lineId: row.line_id, machineId: row.machine_id,
      messageId: row.message_id, ts: row.ts, measures: JSON.parse(row.measures) as Record<string, number> })),
  };
};
