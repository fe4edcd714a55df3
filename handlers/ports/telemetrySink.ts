// The time-series sink port: Timestream for LiveAnalytics, Timestream for InfluxDB or local SQLite.
import type { WriteReport } from './writeReport.ts';

/** One reading of a machine: several measures at one instant (a multi-measure record). */
export type TelemetryRecord = {
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
  /** The wire message id: writing the same record twice stores it once. */
  readonly messageId: string;
  /** Epoch milliseconds. */
  readonly ts: number;
  readonly measures: Readonly<Record<string, number>>;
};

export interface TelemetrySink {
  write(records: readonly TelemetryRecord[]): Promise<WriteReport<TelemetryRecord>>;
}
