// The events of a machine's stream (docs/processing.md). Two kinds: what the decider accepted or refused as it
// arrived, and what it settled once the allowed lateness had passed — settled events come in time
// order and are final, so the OEE and alert projections never need to take anything back.
import type { AlertEvent } from '../detectors/detector.ts';
import type { MachineState } from '../wire/messages.ts';
import type { WindowTotals } from '../oee/windowTotals.ts';
import type { Observation } from './observation.ts';

/** The machine's time window starts here (the start of a replay, or the first message of a stream). */
export type WindowOpened = { readonly type: 'WindowOpened'; readonly ts: number };
export type ObservationAccepted = { readonly type: 'ObservationAccepted'; readonly observation: Observation };
export type ObservationDuplicate = {
  readonly type: 'ObservationDuplicate';
  readonly messageId: string;
  readonly ts: number;
};
/** Refused for its time: older than the allowed lateness, after the window closed, or ahead of when it was received. */
export type ObservationTooLate = {
  readonly type: 'ObservationTooLate';
  readonly messageId: string;
  readonly ts: number;
  readonly reason: string;
};
/** Time has passed up to `ts` (a timer, the end of input): observations older than `ts − lateness` can settle. */
export type ClockAdvanced = { readonly type: 'ClockAdvanced'; readonly ts: number };
/** No more input will come: every pending observation is settled and the window ends at `ts`. */
export type WindowClosed = { readonly type: 'WindowClosed'; readonly ts: number };

export type StateChanged = {
  readonly type: 'StateChanged';
  readonly ts: number;
  readonly messageId: string;
  readonly state: MachineState;
  readonly reason: string | null;
  readonly previous: MachineState | null;
};
/** A state message that repeats the current state and reason: a sign of life, nothing more. */
export type StateConfirmed = { readonly type: 'StateConfirmed'; readonly ts: number; readonly messageId: string };
export type CountsAdvanced = {
  readonly type: 'CountsAdvanced';
  readonly ts: number;
  readonly messageId: string;
  readonly total: number;
  readonly reject: number;
  readonly totalDelta: number;
  readonly rejectDelta: number;
  /**
   * `baseline`: the first counters of the stream; `reset`: a counter went down, so it restarted from 0.
   * A counter of a configured width that wraps past its maximum is an `advance` (machine/counterWidth.ts).
   */
  readonly kind: 'baseline' | 'advance' | 'reset';
};
export type SampleRecorded = {
  readonly type: 'SampleRecorded';
  readonly ts: number;
  readonly messageId: string;
  readonly metrics: Readonly<Record<string, number>>;
};
/** The machine started an order (a `job` message): until the next one, its parts are of `product`. */
export type JobStarted = {
  readonly type: 'JobStarted';
  readonly ts: number;
  readonly messageId: string;
  readonly order: string;
  readonly product: string;
  readonly targetQuantity: number | null;
};
/** Nothing was heard for `heartbeatTimeoutS`: from `ts` until the next message is a data gap. */
export type HeartbeatMissed = { readonly type: 'HeartbeatMissed'; readonly ts: number; readonly lastHeardTs: number };

export type SettledEvent =
  StateChanged | StateConfirmed | CountsAdvanced | SampleRecorded | HeartbeatMissed | JobStarted;
/**
 * OEE windows (hours, shifts) nothing can book into again, moved out of the machine's checkpoint into
 * its stream (oee/finalWindows.ts), so the checkpoint stays the size of what is still open.
 */
export type OeeWindowsFinal = {
  readonly type: 'OeeWindowsFinal';
  readonly ts: number;
  readonly windows: Readonly<Record<string, WindowTotals>>;
};
/**
 * An operator gave a stop its reason after the fact (`factory downtime classify`, the dashboard, the
 * cloud's classify API): the stop that began at `ts` counts under `reason` from now on. Not decided by
 * the processing core and not in the checkpoint: the read model applies it (downtime/classification.ts).
 */
export type DowntimeClassified = {
  readonly type: 'DowntimeClassified';
  /** The start of the stop (its state change): the stop's key, in the machine's time. */
  readonly ts: number;
  readonly reason: string;
  /** When it was classified (wall clock) and by whom, if named. */
  readonly classifiedAt: number;
  readonly by: string | null;
};
export type MachineEvent =
  | WindowOpened
  | ObservationAccepted
  | ObservationDuplicate
  | ObservationTooLate
  | ClockAdvanced
  | WindowClosed
  | SettledEvent
  | AlertEvent
  | OeeWindowsFinal
  | DowntimeClassified;
