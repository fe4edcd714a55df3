import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telemetrySinkContract } from '../../handlers/ports/telemetrySink.contract.ts';
import { openFactoryDb } from './schema.ts';
import { sqliteTelemetrySink } from './sqliteTelemetrySink.ts';

const dir = mkdtempSync(join(tmpdir(), 'factory-telemetry-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

telemetrySinkContract(test, 'sqlite telemetry sink', async () => {
  const db = openFactoryDb(join(dir, `telemetry-${++n}.db`));
  const sink = sqliteTelemetrySink(db);
  return { sink, stored: async () => sink.all(), close: async () => void db.close() };
});

test('sqlite telemetry sink: a non-finite measure is rejected by name and the rest are stored', async (t) => {
  const db = openFactoryDb(':memory:');
  const sink = sqliteTelemetrySink(db);
  const good = { factoryId: 'f1', lineId: 'l1', machineId: 'm1', messageId: 'a', ts: 1, measures: { temp: 1 } };
  const report = await sink.write([good, { ...good, messageId: 'b', measures: { temp: Number.NaN } }]);
  t.is(report.accepted, 1);
  t.deepEqual(
    report.rejected.map((r) => [r.item.messageId, r.reason, r.retryable]),
    [['b', 'telemetry b: measure temp is NaN, expected a finite number', false]],
  );
  t.deepEqual(
    sink.all().map((r) => r.messageId),
    ['a'],
  );
  db.close();
});
