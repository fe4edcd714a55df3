// The edge buffer's throughput: appends (each its own transaction, as the gateway commits a reading
// before treating it as taken) and drains (take + acknowledge, as PUBACKs arrive), and the bytes a
// buffered reading costs on disk. `synchronous` FULL fsyncs every commit; NORMAL only at checkpoints.
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreAndForwardBuffer } from '../edge/storeAndForwardBuffer.ts';

export type EdgeBufferBench = {
  readonly appendPerS: number;
  readonly drainPerS: number;
  readonly bytesPerReading: number;
};

export const benchEdgeBuffer = (readings = 5_000, synchronous: 'NORMAL' | 'FULL' = 'FULL'): EdgeBufferBench => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-edge-buffer-'));
  const open = () => openStoreAndForwardBuffer({ dir, maxBytes: 1024 ** 3, whenFull: 'drop-oldest', synchronous });
  let buffer = open();
  const start = performance.now();
  for (let i = 0; i < readings; i++) {
    const ts = 1_700_000_000_000 + i * 1000;
    const id = `gw-f1.press-01.telemetry.${ts}.1a2b3c4d`;
    buffer.append({
      id,
      machine: 'f1/l1/press-01',
      topic: 'dt/f1/l1/press-01/telemetry',
      type: 'telemetry',
      createdAt: ts,
      payload: JSON.stringify({ v: 1, id, ts, metrics: { spindle_temp: { value: 71.3 + (i % 10), unit: 'degC' } } }),
    });
  }
  const appended = performance.now();
  buffer.close(); // checkpoints the WAL into the database file: what the readings cost at rest
  const files = ['buffer.db', 'buffer.db-wal'].map((f) => join(dir, f)).filter(existsSync);
  const bytesOnDisk = files.reduce((sum, f) => sum + statSync(f).size, 0);
  buffer = open();
  const drainStart = performance.now();
  // As the forwarder drains: a window of 64 taken, their PUBACKs applied as one batch.
  for (let batch = buffer.take(64); batch.length > 0; batch = buffer.take(64))
    for (const m of batch) buffer.acknowledge(m.seq);
  buffer.stats(0);
  const drained = performance.now();
  buffer.close();
  rmSync(dir, { recursive: true });
  return {
    appendPerS: Math.round(readings / ((appended - start) / 1000)),
    drainPerS: Math.round(readings / ((drained - drainStart) / 1000)),
    bytesPerReading: Math.round(bytesOnDisk / readings),
  };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const mode of ['FULL', 'NORMAL'] as const)
    process.stdout.write(`${mode}: ${JSON.stringify(benchEdgeBuffer(5_000, mode))}\n`);
}
