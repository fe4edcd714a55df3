import { fc, testProp } from '@fast-check/ava';
import type { TelemetryRecord } from '../../handlers/ports/telemetrySink.ts';
import { chunkRecords, CHUNK_MS, emptyChunk, mergeIntoChunk } from './telemetryChunk.ts';

const MINUTE = 29_000_000;
const reading = fc
  .record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    at: fc.integer({ min: 0, max: CHUNK_MS - 1 }),
    measures: fc.dictionary(
      fc.constantFrom('temp', 'rpm', 'torque'),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      { minKeys: 1 },
    ),
  })
  .map((r): TelemetryRecord => ({
    factoryId: 'f1',
    lineId: 'l1',
    machineId: 'm1',
    messageId: r.id,
    ts: MINUTE * CHUNK_MS + r.at,
    measures: r.measures,
  }));

testProp(
  "a chunk's bytes depend only on its readings: any split into writes, redeliveries included, gives the same chunk, and it reads back each id once",
  [fc.array(reading, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 4 })],
  (t, records, cuts) => {
    const whole = emptyChunk();
    mergeIntoChunk(whole, MINUTE, records);
    const split = emptyChunk();
    const bounds = [0, ...cuts.map((c) => c % (records.length + 1)).sort((a, b) => a - b), records.length];
    for (let i = 0; i + 1 < bounds.length; i++) mergeIntoChunk(split, MINUTE, records.slice(bounds[i], bounds[i + 1]));
    t.is(JSON.stringify(split), JSON.stringify(whole));
    const ids = chunkRecords({ factoryId: 'f1', lineId: 'l1', machineId: 'm1' }, MINUTE, whole).map((r) => r.messageId);
    t.deepEqual(ids.slice().sort(), [...new Set(records.map((r) => r.messageId))].sort());
  },
);
