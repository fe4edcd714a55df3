// Alerts leave the platform through this port: SNS in the cloud, a SQLite table locally.
import type { WriteReport } from './writeReport.ts';

export type Alert = {
  /** Stable for one raise or clear (e.g. machine key, detector and time), so a republish is a duplicate. */
  readonly alertId: string;
  readonly factoryId: string;
  readonly lineId: string;
  readonly machineId: string;
  /** The detector's name, e.g. "threshold:spindle_temp". */
  readonly detector: string;
  readonly status: 'RAISED' | 'CLEARED';
  /** Epoch milliseconds. */
  readonly at: number;
  readonly message: string;
  /** `edge` when the gateway's detectors decided it. */
  readonly origin?: 'edge';
};

export interface AlertPublisher {
  publish(alerts: readonly Alert[]): Promise<WriteReport<Alert>>;
}
