// Telemetry into Timestream for LiveAnalytics: one multi-measure record per reading (dimensions
// factoryId/lineId/machineId, every metric a DOUBLE, the message id a VARCHAR), ≤ 100 records a
// WriteRecords call, dimensions shared by the whole call hoisted into CommonAttributes.
import {
  RejectedRecordsException,
  WriteRecordsCommand,
  type _Record,
  type Dimension,
  type TimestreamWriteClient,
} from '@aws-sdk/client-timestream-write';
import type { TelemetryRecord, TelemetrySink } from '../ports/telemetrySink.ts';
import { chunksOf } from './chunksOf.ts';
import type { Rejected, WriteReport } from '../ports/writeReport.ts';
import { MAX_MEASURES_PER_RECORD, MAX_RECORDS_PER_WRITE, timestreamNameProblem } from './timestreamNames.ts';

export const MEASURE_NAME = 'telemetry';
export const MESSAGE_ID_MEASURE = 'message_id';
const DIMENSIONS = ['factoryId', 'lineId', 'machineId'] as const;
const RETRYABLE_CALL_ERRORS = new Set([
  'ThrottlingException',
  'InternalServerException',
  'ServiceUnavailable',
  'TimeoutError',
]);

export type WriteStats = {
  readonly calls: number;
  readonly records: number;
  readonly recordsPerCall: readonly number[];
};

export type TimestreamSinkOptions = {
  readonly client: TimestreamWriteClient;
  readonly databaseName: string;
  readonly tableName: string;
  /** Attempts per WriteRecords call for throttling and server errors (default 4). */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
};

const problemOf = (r: TelemetryRecord): string | undefined => {
  const names = Object.keys(r.measures);
  if (names.length === 0) return 'has no measures; send at least one';
  if (names.length + 1 > MAX_MEASURES_PER_RECORD)
    return `has ${names.length} measures, Timestream takes ${MAX_MEASURES_PER_RECORD - 1} besides the message id; split the reading`;
  if (!Number.isSafeInteger(r.ts) || r.ts < 0) return `ts ${r.ts} is not epoch milliseconds`;
  for (const name of names) {
    if (name === MESSAGE_ID_MEASURE)
      return `measure name ${MESSAGE_ID_MEASURE} is used for the message id; rename the metric`;
    const problem = timestreamNameProblem('measure', name);
    if (problem) return problem;
    if (!Number.isFinite(r.measures[name]))
      return `measure ${name} is ${String(r.measures[name])}, expected a finite number`;
  }
  for (const d of DIMENSIONS) if (r[d] === '') return `dimension ${d} is empty`;
  return undefined;
};

const toWire = (r: TelemetryRecord, hoisted: ReadonlySet<string>): _Record => ({
  Dimensions: DIMENSIONS.filter((d) => !hoisted.has(d)).map((d): Dimension => ({ Name: d, Value: r[d] })),
  Time: String(r.ts),
  MeasureValues: [
    ...Object.entries(r.measures).map(([Name, v]) => ({ Name, Value: String(v), Type: 'DOUBLE' as const })),
    { Name: MESSAGE_ID_MEASURE, Value: r.messageId, Type: 'VARCHAR' as const },
  ],
});

export const timestreamTelemetrySink = (
  options: TimestreamSinkOptions,
): TelemetrySink & { readonly stats: () => WriteStats } => {
  const {
    client,
    databaseName: DatabaseName,
    tableName: TableName,
    maxAttempts = 4,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  } = options;
  const perCall: number[] = [];

  const writeChunk = async (chunk: readonly TelemetryRecord[]): Promise<WriteReport<TelemetryRecord>> => {
    // Dimensions equal across the call go once in CommonAttributes: smaller requests, same records.
    const hoisted = new Set(DIMENSIONS.filter((d) => chunk.every((r) => r[d] === chunk[0]![d])));
    const command = new WriteRecordsCommand({
      DatabaseName,
      TableName,
      CommonAttributes: {
        MeasureName: MEASURE_NAME,
        MeasureValueType: 'MULTI',
        TimeUnit: 'MILLISECONDS',
        Dimensions: [...hoisted].map((d) => ({ Name: d, Value: chunk[0]![d as (typeof DIMENSIONS)[number]] })),
      },
      Records: chunk.map((r) => toWire(r, hoisted)),
    });
    for (let attempt = 1; ; attempt++) {
      perCall.push(chunk.length);
      try {
        await client.send(command);
        return { accepted: chunk.length, rejected: [] };
      } catch (error) {
        // The records not listed in RejectedRecords were written (Timestream's partial success).
        if (error instanceof RejectedRecordsException) {
          const rejected = (error.RejectedRecords ?? []).map((rr): Rejected<TelemetryRecord> => ({
            item: chunk[rr.RecordIndex ?? 0]!,
            retryable: false,
            reason: `Timestream rejected telemetry ${chunk[rr.RecordIndex ?? 0]!.messageId}: ${rr.Reason ?? 'no reason given'}${rr.ExistingVersion === undefined ? '' : ` (existing version ${rr.ExistingVersion})`}`,
          }));
          return { accepted: chunk.length - rejected.length, rejected };
        }
        const name = (error as { name?: string }).name ?? '';
        if (!RETRYABLE_CALL_ERRORS.has(name) || attempt >= maxAttempts) {
          return {
            accepted: 0,
            rejected: chunk.map((item) => ({
              item,
              retryable: RETRYABLE_CALL_ERRORS.has(name),
              reason: `Timestream WriteRecords to ${DatabaseName}.${TableName} failed after ${attempt} attempt(s): ${name}: ${(error as Error).message}`,
            })),
          };
        }
        await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
  };

  return {
    write: async (records) => {
      const rejected: Rejected<TelemetryRecord>[] = [];
      const valid: TelemetryRecord[] = [];
      for (const r of records) {
        const problem = problemOf(r);
        if (problem)
          rejected.push({
            item: r,
            retryable: false,
            reason: `telemetry ${r.messageId} of ${r.factoryId}/${r.lineId}/${r.machineId}: ${problem}`,
          });
        else valid.push(r);
      }
      // Sorting by machine puts a machine's readings in one call, so more dimensions can be hoisted.
      const sorted = [...valid].sort(
        (a, b) => DIMENSIONS.map((d) => a[d].localeCompare(b[d])).find((c) => c !== 0) ?? 0,
      );
      let accepted = 0;
      for (const chunk of chunksOf(sorted, MAX_RECORDS_PER_WRITE)) {
        const report = await writeChunk(chunk);
        accepted += report.accepted;
        rejected.push(...report.rejected);
      }
      return { accepted, rejected };
    },
    stats: () => ({ calls: perCall.length, records: perCall.reduce((a, b) => a + b, 0), recordsPerCall: [...perCall] }),
  };
};
