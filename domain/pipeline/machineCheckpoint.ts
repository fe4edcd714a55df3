// What a machine's processing must remember between batches, written with each batch's decisions in
// one transaction: the decider's and detectors' state (the readings still inside the allowed lateness
// among it), the OEE windows, the dedup memory and when its heartbeat timer is due. State is the
// checkpoint; the decisions are the stream's history and what side effects are sent from.
import type { AlertDedupState } from '../alerts/alertDedup.ts';
import { initialOeeState, type OeeProjectionState } from '../oee/oeeProjection.ts';
import {
  dedupMemoryFromJson,
  dedupMemoryToJson,
  emptyDedupMemory,
  type DedupMemory,
  type DedupMemoryJson,
} from './dedupMemory.ts';
import type { MachineStream, MachineStreamState } from './machineStream.ts';

export type MachineCheckpoint = {
  readonly stream: MachineStreamState;
  readonly oee: OeeProjectionState;
  readonly dedup: DedupMemory;
  /**
   * When the heartbeat timer of the newest accepted reading fires: the decider can call a heartbeat
   * missed once its watermark (clock − lateness) has passed the last message + the timeout.
   */
  readonly heartbeatDueAt: number | null;
  /** Which alerts are open, and the gateway's last ones: an alert decided twice is one alert (alerts/alertDedup.ts). */
  readonly alerts: AlertDedupState;
};

/** Checkpoints of another format (the snapshots of store schema 2 and earlier) are not read: see docs/replay.md. */
export const CHECKPOINT_FORMAT = 3;

export type MachineCheckpointJson = {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly stream: MachineStreamState;
  readonly oee: OeeProjectionState;
  readonly dedup: DedupMemoryJson;
  readonly heartbeatDueAt: number | null;
  readonly alerts: AlertDedupState;
};

export const initialCheckpoint = (stream: MachineStream): MachineCheckpoint => ({
  stream: stream.initialState,
  oee: initialOeeState,
  dedup: emptyDedupMemory,
  heartbeatDueAt: null,
  alerts: {},
});

export const checkpointToJson = (checkpoint: MachineCheckpoint): MachineCheckpointJson => ({
  format: CHECKPOINT_FORMAT,
  stream: checkpoint.stream,
  oee: checkpoint.oee,
  dedup: dedupMemoryToJson(checkpoint.dedup),
  heartbeatDueAt: checkpoint.heartbeatDueAt,
  alerts: checkpoint.alerts,
});

/** The checkpoint a stored one holds; undefined for one of another format. */
export const checkpointFromJson = (json: unknown): MachineCheckpoint | undefined => {
  const stored = json as Partial<MachineCheckpointJson> | null;
  if (typeof stored !== 'object' || stored === null || stored.format !== CHECKPOINT_FORMAT) return undefined;
  return {
    stream: stored.stream!,
    oee: stored.oee!,
    dedup: dedupMemoryFromJson(stored.dedup!),
    heartbeatDueAt: stored.heartbeatDueAt ?? null,
    alerts: stored.alerts ?? {},
  };
};
