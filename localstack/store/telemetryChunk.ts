// One machine-minute of readings as the local telemetry table keeps it: columns rather than a row per
// reading, so a reading costs its id, its offset in the minute and its values, not their names again.
// A chunk is merged with what a later batch brings for the same minute; a message id already in it
// is kept once (the sink contract: a record written twice is stored once).
import type { TelemetryRecord } from '../../handlers/ports/telemetrySink.ts';

export const CHUNK_MS = 60_000;

/** `ids[i]` was read at minute start + `at[i]` ms; `measures[name][i]` its value, null where it had none. */
export type TelemetryChunk = {
  readonly ids: string[];
  readonly at: number[];
  readonly measures: Record<string, (number | null)[]>;
};

export const minuteOf = (ts: number): number => Math.floor(ts / CHUNK_MS);

export const emptyChunk = (): TelemetryChunk => ({ ids: [], at: [], measures: {} });

const byTimeThenId = (a: TelemetryRecord, b: TelemetryRecord): number =>
  a.ts - b.ts || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

/** A new chunk of distinct readings: the common case (a machine-minute written in one commit), built column by column. */
const freshChunk = (chunk: TelemetryChunk, minute: number, records: readonly TelemetryRecord[]): number => {
  const sorted = [...records].sort(byTimeThenId);
  const start = minute * CHUNK_MS;
  const seen = new Set<string>();
  for (const r of sorted) for (const name in r.measures) seen.add(name);
  // Names in one order whatever the batches were: a chunk's bytes depend only on its readings.
  const names = [...seen].sort();
  for (const name of names) chunk.measures[name] = [];
  for (const r of sorted) {
    chunk.ids.push(r.messageId);
    chunk.at.push(r.ts - start);
    for (const name of names) chunk.measures[name]!.push(r.measures[name] ?? null);
  }
  return sorted.length;
};

/** Adds the readings whose ids the chunk does not hold yet, in time order; returns how many it added. */
export const mergeIntoChunk = (chunk: TelemetryChunk, minute: number, records: readonly TelemetryRecord[]): number => {
  if (chunk.ids.length === 0 && new Set(records.map((r) => r.messageId)).size === records.length)
    return freshChunk(chunk, minute, records);
  const known = new Set(chunk.ids);
  const fresh = records.filter((r) => !known.has(r.messageId) && (known.add(r.messageId), true));
  if (fresh.length === 0) return 0;
  const start = minute * CHUNK_MS;
  const rows = chunk.ids.map((id, i) => ({
    id,
    at: chunk.at[i]!,
    values: (name: string) => chunk.measures[name]?.[i] ?? null,
  }));
  for (const r of fresh) rows.push({ id: r.messageId, at: r.ts - start, values: (name) => r.measures[name] ?? null });
  // Readings mostly arrive in order: sorting an almost sorted array is cheap, and a chunk reads back in time order.
  rows.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const all = new Set(Object.keys(chunk.measures));
  for (const r of fresh) for (const name of Object.keys(r.measures)) all.add(name);
  const names = [...all].sort();
  chunk.ids.length = 0;
  chunk.at.length = 0;
  for (const row of rows) {
    chunk.ids.push(row.id);
    chunk.at.push(row.at);
  }
  const columns = Object.fromEntries(names.map((name) => [name, rows.map((row) => row.values(name))]));
  for (const name of Object.keys(chunk.measures)) delete chunk.measures[name];
  Object.assign(chunk.measures, columns);
  return fresh.length;
};

/** The chunk's readings as records of the sink port. */
export const chunkRecords = (
  dimensions: { factoryId: string; lineId: string; machineId: string },
  minute: number,
  chunk: TelemetryChunk,
): TelemetryRecord[] =>
  chunk.ids.map((messageId, i) => {
    const measures: Record<string, number> = {};
    for (const [name, values] of Object.entries(chunk.measures)) {
      const value = values[i];
      if (value !== null && value !== undefined) measures[name] = value;
    }
    return { ...dimensions, messageId, ts: minute * CHUNK_MS + chunk.at[i]!, measures };
  });
