// Input the platform could not use goes here with the reason, so it can be inspected and replayed.
import type { WriteReport } from './writeReport.ts';

export type DeadLetter = {
  /** Which component gave up, e.g. "process" or "iot-rule". */
  readonly source: string;
  /** Why, in words a person can act on. */
  readonly reason: string;
  readonly topic?: string;
  /** The message as JSON when it parsed, else its raw bytes as base64 (recording format, docs/wire-contract.md). */
  readonly payload?: unknown;
  readonly payloadB64?: string;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
  /** Where it was read from, e.g. the Kinesis sequence number, to find the record again. */
  readonly recordId?: string;
};

export interface DeadLetterQueue {
  send(letters: readonly DeadLetter[]): Promise<WriteReport<DeadLetter>>;
}
