import test from 'ava';
import { benchmarksReport, scalingDeviation, type BenchResults } from './benchmarksReport.ts';

const throughput = (perS: number, messages = 1_000_000) => ({ messages, perS, seconds: messages / perS });

const results = (over: Partial<BenchResults> = {}): BenchResults => ({
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: 'v20.0.0', os: 'linux', loadAtStart: 0.5 },
  date: '2026-11-25T00:00:00.000Z',
  totalS: 300,
  generateS: 0,
  jsonLimit: throughput(300_000),
  storageLimit: throughput(150_000),
  direct: throughput(120_000),
  stages: [
    { stage: 'read', usPerMessage: 3, share: 0.3 },
    { stage: 'store', usPerMessage: 7, share: 0.7 },
  ],
  bare: throughput(4_000, 20_000),
  broker: throughput(2_000, 20_000),
  decode: { payloads: 10, decodePayloadPerS: 1, ioTsPerS: 1, ajvPerS: 2, agreeing: 10 },
  fold: { events: 10, eventsPerS: 2_500_000, deciderShare: 0.5 },
  memory: { machines: 10_000, observationsEach: 200, pendingEach: 140, inFlightBytes: 30_000, settledBytes: 500 },
  scaling: [
    { messages: 100_000, seconds: 1, cpuSeconds: 1 },
    { messages: 1_000_000, seconds: 10, cpuSeconds: 10 },
  ],
  scalingNote: '',
  bundles: [
    { name: 'process', built: true, bytes: 150_000, coldImportMs: 80 },
    { name: 'timer', built: false },
  ],
  edge: {
    full: { appendPerS: 1, drainPerS: 1, bytesPerReading: 1 },
    normal: { appendPerS: 1, drainPerS: 1, bytesPerReading: 1 },
  },
  footprint: {
    messages: 100_000,
    acceptedTelemetry: 80_000,
    streamWrites: 800,
    decisions: 20_000,
    storeBytes: 12_000_000,
    checkpointBytes: { mean: 40_000, max: 60_000 },
  },
  dynamo: [
    {
      messages: 20_000,
      batchSize: 100,
      acceptedTelemetry: 16_000,
      transactions: 2_400,
      commitItems: 2_400,
      writeUnits: 28_000,
      meanCheckpointBytes: 9_000,
    },
  ],
  timestream: {
    records: 100,
    batchSize: 100,
    writeRecordsCalls: 2,
    telemetryRecords: 170,
    meanRecordsPerCall: 85,
    maxRecordsPerCall: 89,
  },
  before: {
    rounds: [
      {
        round: 'Round 1',
        measured: 'then',
        how: 'A/B',
        figures: [{ figure: 'fold', before: '1', after: '2' }],
        fixes: ['faster'],
      },
    ],
    remaining: ['storage'],
  },
  ...over,
});

const rowOf = (report: string, figure: string): string =>
  report.split('\n').find((line) => line.startsWith(`| ${figure}`)) ?? '';

test('time per message that stays the same at every size deviates 0 from linear; 20% slower at one size deviates 0.2', (t) => {
  const point = (messages: number, cpuSeconds: number) => ({ messages, seconds: 99, cpuSeconds });
  t.is(scalingDeviation([point(100_000, 1), point(1_000_000, 10), point(2_000_000, 20)]), 0);
  t.true(Math.abs(scalingDeviation([point(100_000, 1), point(1_000_000, 10), point(2_000_000, 24)]) - 0.2) < 1e-12);
});

test('each figure is judged against its target: a ratio under it is missed, one over it is met', (t) => {
  const report = benchmarksReport(results());
  t.regex(rowOf(report, '1. direct replay / JSON.parse-only'), /0\.400 \| ≥ 0\.33 \| met/);
  t.regex(rowOf(report, '2. broker replay / bare aedes'), /0\.500 \| ≥ 0\.6 \| \*\*missed\*\*/);
  t.regex(rowOf(report, '4. domain fold'), /\| met \|$/);
  t.regex(rowOf(report, '4. memory per tracked machine, 10,000 machines, in flight'), /\*\*missed\*\*/);
  t.regex(rowOf(report, '4. memory per tracked machine, settled'), /\| met \|$/);
  t.regex(rowOf(report, '7. stream writes'), /0\.0100 \(800 \/ 80,000\) \| ≤ 0\.05 \| met/);
  t.regex(rowOf(report, '7. store bytes per message'), /120 B .* \| ≤ 150 B \| met/);
  t.regex(
    rowOf(
      report,
      '7. DynamoDB stream writes per accepted telemetry reading, process function on dynalite, batches of 100',
    ),
    /0\.1500 .* \*\*missed\*\*/,
  );
  t.regex(
    rowOf(report, '7. DynamoDB write units per million sample messages, batches of 100'),
    /1,400,000 \(1\.40 per message/,
  );
});

test('a bundle that was not built is reported as not built, never given a size', (t) => {
  const report = benchmarksReport(results());
  t.regex(rowOf(report, '6. timer bundle'), /not built .* not measured \|$/);
  t.regex(rowOf(report, '6. process bundle size'), /150\.0 KB \| ≤ 300 KB \| met/);
  t.regex(rowOf(report, '6. process cold import'), /80 ms \| ≤ 100 ms \| met/);
});

test('records per WriteRecords call are judged against the API limit of 100 records', (t) => {
  t.regex(
    rowOf(benchmarksReport(results()), '6. records per Timestream WriteRecords call'),
    /85\.0 on average, 89 at most, 2 calls \| ≤ 100 \(the API limit\) \| met \|$/,
  );
  const over = results({
    timestream: {
      records: 1,
      batchSize: 500,
      writeRecordsCalls: 1,
      telemetryRecords: 101,
      meanRecordsPerCall: 101,
      maxRecordsPerCall: 101,
    },
  });
  t.regex(rowOf(benchmarksReport(over), '6. records per Timestream WriteRecords call'), /\*\*missed\*\* \|$/);
});

test('each round of fixes is reported with its before and after, and what is left is listed', (t) => {
  const report = benchmarksReport(results());
  t.regex(report, /### Round 1\n\nA\/B \(then\):/);
  t.regex(report, /\| fold \| 1 \| 2 \|/);
  t.regex(report, /### What is left, and what it would take\n\n- storage/);
});
