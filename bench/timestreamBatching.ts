// Records per Timestream WriteRecords call on the sample: the process core replays the sample
// recording in Kinesis batches of 100 through the Timestream adapter against the local fake
// (bench/recordingThroughput.ts, run in its own process as a user would run it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export type TimestreamBatching = {
  readonly records: number;
  readonly batchSize: number;
  readonly writeRecordsCalls: number;
  readonly telemetryRecords: number;
  readonly meanRecordsPerCall: number;
  readonly maxRecordsPerCall: number;
};

export const benchTimestreamBatching = (recording: string): TimestreamBatching => {
  const script = join(import.meta.dirname, 'recordingThroughput.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, recording], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out) as TimestreamBatching;
};
