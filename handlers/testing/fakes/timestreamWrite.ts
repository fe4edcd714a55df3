// A Timestream for LiveAnalytics write endpoint (awsJson1_0, X-Amz-Target Timestream_20181101.*),
// checking what the real service checks: ≤ 100 records a call, MULTI records, dimension and measure
// name rules, and storing records by (dimensions, time, measure name) so an identical rewrite is a
// no-op and a different value at the same key is a RejectedRecord. Test support only.
import { awsJsonError, awsJsonOk, startFakeServer, type FakeServer, type RecordedRequest } from './httpExchange.ts';

type Dimension = { Name: string; Value: string; DimensionValueType?: string };
type MeasureValue = { Name: string; Value: string; Type: string };
type WireRecord = {
  Dimensions?: Dimension[];
  MeasureName?: string;
  MeasureValue?: string;
  MeasureValueType?: string;
  MeasureValues?: MeasureValue[];
  Time?: string;
  TimeUnit?: string;
};
export type StoredTimestreamRecord = {
  readonly dimensions: Record<string, string>;
  readonly measureName: string;
  readonly timeMs: number;
  readonly measures: readonly MeasureValue[];
};

export type FakeTimestream = FakeServer & {
  readonly stored: () => StoredTimestreamRecord[];
  /** The next n WriteRecords calls fail with this error (e.g. ThrottlingException) before doing anything. */
  readonly failNext: (n: number, type: 'ThrottlingException' | 'InternalServerException') => void;
  readonly writeCalls: () => RecordedRequest[];
};

const NS = 'com.amazonaws.timestream.v20181101';
const RESERVED = ['measure_name', 'measure_value', 'time'];
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

// https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html (naming constraints, quotas)
const nameProblem = (kind: 'dimension' | 'measure', name: string): string | undefined => {
  if (name.length === 0) return `${kind} name is empty`;
  if (RESERVED.includes(name)) return `${kind} name ${name} is reserved`;
  if (name.startsWith('ts_') || name.startsWith('measure_value'))
    return `${kind} name ${name} starts with a reserved prefix`;
  if (name.includes(':')) return `${kind} name ${name} contains ':'`;
  if (utf8(name) > (kind === 'dimension' ? 60 : 256)) return `${kind} name ${name} is too long`;
  return undefined;
};

export const startFakeTimestream = async (): Promise<FakeTimestream> => {
  const table = new Map<string, StoredTimestreamRecord>();
  let failures: { n: number; type: string } = { n: 0, type: '' };

  const recordProblem = (r: WireRecord): string | undefined => {
    if (r.MeasureValueType !== 'MULTI') return `MeasureValueType ${String(r.MeasureValueType)}: expected MULTI`;
    if (r.MeasureValue !== undefined) return 'MeasureValue must not be set for a MULTI record';
    if (!r.MeasureValues || r.MeasureValues.length === 0) return 'MeasureValues is empty';
    if (r.MeasureValues.length > 256) return 'more than 256 measures in one multi-measure record';
    if (!r.MeasureName) return 'MeasureName is missing';
    for (const d of r.Dimensions ?? []) {
      const problem =
        nameProblem('dimension', d.Name) ?? (d.Value === '' ? `dimension ${d.Name} has an empty value` : undefined);
      if (problem) return problem;
    }
    for (const m of r.MeasureValues) {
      const problem = nameProblem('measure', m.Name);
      if (problem) return problem;
      if (m.Type === 'DOUBLE' && !Number.isFinite(Number(m.Value)))
        return `measure ${m.Name} value ${m.Value} is not a finite DOUBLE`;
    }
    if (r.TimeUnit !== 'MILLISECONDS' || !/^\d+$/.test(r.Time ?? ''))
      return `Time ${String(r.Time)} ${String(r.TimeUnit)}: expected epoch milliseconds`;
    return undefined;
  };

  const writeRecords = (body: {
    DatabaseName?: string;
    TableName?: string;
    CommonAttributes?: WireRecord;
    Records?: WireRecord[];
  }) => {
    if (failures.n > 0) {
      failures = { ...failures, n: failures.n - 1 };
      return awsJsonError(failures.type === 'ThrottlingException' ? 429 : 500, NS, failures.type, {
        Message: 'injected failure',
      });
    }
    const records = body.Records ?? [];
    if (!body.DatabaseName || !body.TableName)
      return awsJsonError(400, NS, 'ValidationException', { Message: 'DatabaseName and TableName are required' });
    if (records.length < 1 || records.length > 100)
      return awsJsonError(400, NS, 'ValidationException', {
        Message: `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and 100 (got ${records.length})`,
      });
    const rejected: { RecordIndex: number; Reason: string; ExistingVersion?: number }[] = [];
    records.forEach((own, index) => {
      const common = body.CommonAttributes ?? {};
      const r: WireRecord = {
        ...common,
        ...own,
        Dimensions: [...(common.Dimensions ?? []), ...(own.Dimensions ?? [])],
      };
      const problem = recordProblem(r);
      if (problem) return void rejected.push({ RecordIndex: index, Reason: problem });
      const dimensions = Object.fromEntries(r.Dimensions!.map((d) => [d.Name, d.Value]));
      const key = JSON.stringify([Object.entries(dimensions).sort(), Number(r.Time), r.MeasureName]);
      const incoming = { dimensions, measureName: r.MeasureName!, timeMs: Number(r.Time), measures: r.MeasureValues! };
      const existing = table.get(key);
      if (existing && JSON.stringify(existing.measures) !== JSON.stringify(incoming.measures)) {
        return void rejected.push({
          RecordIndex: index,
          Reason:
            'A record with the same dimensions, time and measure name already exists with different measure values; use a higher record version to update it',
          ExistingVersion: 1,
        });
      }
      table.set(key, incoming);
    });
    if (rejected.length > 0)
      return awsJsonError(419, NS, 'RejectedRecordsException', {
        Message: 'One or more records have been rejected. See RejectedRecords for details.',
        RejectedRecords: rejected,
      });
    return awsJsonOk({ RecordsIngested: { Total: records.length, MemoryStore: records.length, MagneticStore: 0 } });
  };

  const server = await startFakeServer((req) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.0') {
      return awsJsonError(400, NS, 'ValidationException', {
        Message: `expected POST application/x-amz-json-1.0, got ${req.method} ${String(req.headers['content-type'])}`,
      });
    }
    if (target === 'Timestream_20181101.DescribeEndpoints') {
      return awsJsonOk({ Endpoints: [{ Address: new URL(server.endpoint).host, CachePeriodInMinutes: 1440 }] });
    }
    if (target === 'Timestream_20181101.WriteRecords') return writeRecords(JSON.parse(req.body));
    return awsJsonError(400, NS, 'UnknownOperationException', {
      Message: `fake Timestream does not implement ${target}`,
    });
  });
  return {
    ...server,
    stored: () => [...table.values()],
    failNext: (n, type) => void (failures = { n, type }),
    writeCalls: () => server.requests.filter((r) => r.headers['x-amz-target'] === 'Timestream_20181101.WriteRecords'),
  };
};
