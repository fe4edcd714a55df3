// `tsx bench/recordingThroughput.ts <recording.jsonl[.gz]> [--lines n] [--site f]`: replays a
// recording (docs/wire-contract.md) through the process core in Kinesis batches of 100, with the Timestream
// adapter against the local fake, and prints how many records each WriteRecords call carried.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { startFakeTimestream } from '../handlers/testing/fakes/timestreamWrite.ts';
import { timestreamTelemetrySink } from '../handlers/adapters/timestreamTelemetrySink.ts';
import { loadBundledSite } from '../handlers/lambdaEnvironment.ts';
import type { MachineEvent } from '../domain/machine/events.ts';
import { dispatchOutbox, memoryEventStore, memoryOutputs } from '../handlers/testing/memoryPorts.ts';
import { processBatch, processContext } from '../handlers/process/processBatch.ts';
import { kinesisRecord, partitionKeyOf, ruleOutput } from '../handlers/testing/ruleRecords.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    lines: { type: 'string' },
    site: { type: 'string', default: 'localstack/sample/site.json' },
    batch: { type: 'string', default: '100' },
  },
});
const file = positionals[0];
if (file === undefined) throw new Error('usage: recordingThroughput.ts <recording.jsonl[.gz]> [--lines n]');
const raw = readFileSync(file);
const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
const lines = text
  .split('\n')
  .filter((l) => l.trim() !== '')
  .slice(0, values.lines === undefined ? undefined : Number(values.lines));
const site = loadBundledSite({ SITE_CONFIG_PATH: values.site }, import.meta.url);

const fake = await startFakeTimestream();
const client = new TimestreamWriteClient({
  endpoint: fake.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});
const sink = timestreamTelemetrySink({ client, databaseName: 'factory', tableName: 'telemetry' });
const outputs = memoryOutputs();
const store = memoryEventStore<MachineEvent>();
const deps = { site, store, telemetry: sink, deadLetters: outputs.deadLetters };
const context = processContext(site);

// Records as the stream would hold them; the partition keys are many, the shards here one.
const records = lines.flatMap((line, i) => {
  let m: { t: string | number; topic: string; payload?: unknown; payloadB64?: string };
  // A line that is not a recording line never reached the broker, so no record of it reaches the stream.
  try {
    m = JSON.parse(line) as typeof m;
  } catch {
    return [];
  }
  if (typeof m.topic !== 'string') return [];
  const t = typeof m.t === 'number' ? m.t : Date.parse(m.t);
  const data =
    m.payload !== undefined
      ? ruleOutput({ topic: m.topic, payload: m.payload, receivedAt: t })
      : Buffer.from(m.payloadB64 ?? '', 'base64');
  return data === null ? [] : [kinesisRecord(data, partitionKeyOf(m.topic), String(i).padStart(21, '0'), t)];
});
const size = Number(values.batch);
const started = performance.now();
let failures = 0;
const totals = { accepted: 0, telemetryWritten: 0, deadLettered: 0, decisions: 0, commits: 0 };
for (let i = 0; i < records.length; i += size) {
  const outcome = await processBatch(deps, context, records.slice(i, i + size));
  // The alerts each commit sends, as the dispatch function would.
  await dispatchOutbox(store, site, outputs);
  failures += outcome.failures.length;
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += outcome.stats[k];
}
const stats = sink.stats();
const histogram = new Map<number, number>();
for (const n of stats.recordsPerCall) histogram.set(n, (histogram.get(n) ?? 0) + 1);
process.stdout.write(
  `${JSON.stringify(
    {
      lines: lines.length,
      records: records.length,
      batchSize: size,
      failures,
      ...totals,
      alerts: outputs.alerts.length,
      writeRecordsCalls: stats.calls,
      telemetryRecords: stats.records,
      meanRecordsPerCall: +(stats.records / Math.max(1, stats.calls)).toFixed(2),
      maxRecordsPerCall: Math.max(0, ...stats.recordsPerCall),
      callsBySize: Object.fromEntries([...histogram].sort((a, b) => b[1] - a[1]).slice(0, 8)),
      seconds: +((performance.now() - started) / 1000).toFixed(1),
    },
    null,
    1,
  )}\n`,
);
client.destroy();
await fake.close();
