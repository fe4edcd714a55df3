// Telemetry into Timestream for InfluxDB (InfluxDB v2 write API): one point per reading, tagged by
// factory, line and machine, every metric a float field (a field's type is fixed once written, so an
// integral reading must not turn it into an integer field), the message id a string field. A point is
// keyed by measurement, tags and time, so writing the same reading again overwrites it with itself.
import { chunksOf } from './chunksOf.ts';
import type { Rejected, WriteReport } from '../ports/writeReport.ts';
import type { TelemetryRecord, TelemetrySink } from '../ports/telemetrySink.ts';
import { pointProblem, toLine, type FieldValue, type Point } from './lineProtocol.ts';

/** InfluxDB's guidance for line protocol batches: 5000 lines a request. */
export const MAX_LINES_PER_WRITE = 5000;
export const MESSAGE_ID_FIELD = 'message_id';
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export type InfluxSinkOptions = {
  /** e.g. https://<id>.timestream-influxdb.us-east-1.on.aws:8086 */
  readonly endpoint: string;
  readonly org: string;
  readonly bucket: string;
  readonly token: string;
  readonly measurement: string;
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
};

export const pointOf = (measurement: string, r: TelemetryRecord): Point => ({
  measurement,
  tags: { factoryId: r.factoryId, lineId: r.lineId, machineId: r.machineId },
  fields: {
    ...Object.fromEntries(
      Object.entries(r.measures).map(([k, v]): [string, FieldValue] => [k, { kind: 'float', value: v }]),
    ),
    [MESSAGE_ID_FIELD]: { kind: 'string', value: r.messageId },
  },
  timestamp: r.ts,
});

export const influxTelemetrySink = (
  options: InfluxSinkOptions,
): TelemetrySink & { readonly stats: () => { calls: number; linesPerCall: readonly number[] } } => {
  const {
    endpoint,
    org,
    bucket,
    token,
    measurement,
    maxAttempts = 4,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
    fetch: doFetch = fetch,
  } = options;
  const url = `${endpoint.replace(/\/$/, '')}/api/v2/write?${new URLSearchParams({ org, bucket, precision: 'ms' }).toString()}`;
  const perCall: number[] = [];

  const writeChunk = async (
    chunk: readonly { record: TelemetryRecord; line: string }[],
  ): Promise<WriteReport<TelemetryRecord>> => {
    const body = chunk.map((c) => c.line).join('\n');
    for (let attempt = 1; ; attempt++) {
      perCall.push(chunk.length);
      let status: number;
      let text: string;
      try {
        const res = await doFetch(url, {
          method: 'POST',
          body,
          headers: {
            Authorization: `Token ${token}`,
            'Content-Type': 'text/plain; charset=utf-8',
            Accept: 'application/json',
          },
        });
        status = res.status;
        text = await res.text();
      } catch (error) {
        status = 0;
        text = (error as Error).message;
      }
      if (status === 204 || status === 200) return { accepted: chunk.length, rejected: [] };
      const retryable = status === 0 || RETRYABLE_STATUS.has(status);
      if (!retryable || attempt >= maxAttempts) {
        let message = text;
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          /* not JSON: keep the text */
        }
        const hint =
          status === 401
            ? '; check INFLUXDB_TOKEN'
            : status === 404
              ? `; check that org ${org} and bucket ${bucket} exist`
              : '';
        return {
          accepted: 0,
          rejected: chunk.map(({ record }): Rejected<TelemetryRecord> => ({
            item: record,
            retryable,
            reason: `InfluxDB write of telemetry ${record.messageId} to ${bucket} failed after ${attempt} attempt(s): HTTP ${status || 'unreachable'}: ${message}${hint}`,
          })),
        };
      }
      await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  };

  return {
    write: async (records) => {
      const rejected: Rejected<TelemetryRecord>[] = [];
      const lines: { record: TelemetryRecord; line: string }[] = [];
      for (const record of records) {
        const point = pointOf(measurement, record);
        const problem = Object.prototype.hasOwnProperty.call(record.measures, MESSAGE_ID_FIELD)
          ? `measure name ${MESSAGE_ID_FIELD} is used for the message id; rename the metric`
          : pointProblem(point);
        if (problem !== undefined)
          rejected.push({
            item: record,
            retryable: false,
            reason: `telemetry ${record.messageId} of ${record.factoryId}/${record.lineId}/${record.machineId}: ${problem}`,
          });
        else lines.push({ record, line: toLine(point) });
      }
      let accepted = 0;
      for (const chunk of chunksOf(lines, MAX_LINES_PER_WRITE)) {
        const report = await writeChunk(chunk);
        accepted += report.accepted;
        rejected.push(...report.rejected);
      }
      return { accepted, rejected };
    },
    stats: () => ({ calls: perCall.length, linesPerCall: [...perCall] }),
  };
};
