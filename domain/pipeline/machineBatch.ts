// The one processing core (cloud and local alike): a machine's checkpoint and a batch of what it
// received (messages, clock ticks) → the decisions to append, the new checkpoint, each input's
// outcome, the telemetry to store and the side effects to send. The Lambda `process` and `timer`
// functions and the local replay all call it and differ only in their adapters, so a local replay
// proves what the cloud will do. Pure: the same checkpoint and inputs give the same result, and
// splitting a batch anywhere gives the same decisions and checkpoint (machineBatch.test.ts).
import { stepAlertDedup } from '../alerts/alertDedup.ts';
import { alertEventOf, type EdgeAlert } from '../alerts/edgeAlert.ts';
import { isAlertEvent, type AlertEvent } from '../detectors/detector.ts';
import { decisionsOf } from '../machine/decisions.ts';
import type { MachineCommand } from '../machine/decider.ts';
import type { MachineEvent } from '../machine/events.ts';
import type { Observation } from '../machine/observation.ts';
import { isPending } from '../machine/pendingObservations.ts';
import { evolveOee, oeeWindow, WHOLE_RANGE } from '../oee/oeeProjection.ts';
import { takeFinalWindows } from '../oee/finalWindows.ts';
import { emptyTotals, type WindowTotals } from '../oee/windowTotals.ts';
import { draftOf } from './dedupMemory.ts';
import { DEDUP_HORIZON_MS, dedupHorizonFor } from './dedupHorizon.ts';
import type { MachineCheckpoint } from './machineCheckpoint.ts';
import type { MachineStream, MachineStreamConfig } from './machineStream.ts';
import type { Received } from './receiveMessage.ts';

export type MachineInput =
  /** `receivedAt`: when the platform received it (IoT Core's timestamp()), to catch device clocks running ahead. */
  | { readonly kind: 'message'; readonly observation: Observation; readonly receivedAt: number }
  /** A timer fired: time has passed up to `ts`. */
  | { readonly kind: 'tick'; readonly ts: number }
  /** The machine's window starts at `ts` (a replay opens every machine at its first message). */
  | { readonly kind: 'open'; readonly ts: number }
  /** An alert the gateway's detectors decided (wire message type `alert`). */
  | { readonly kind: 'edgeAlert'; readonly alert: EdgeAlert; readonly receivedAt: number };

/** A received wire message as the core's input: a reading's observation, or the gateway's alert. */
export const machineInputOf = (
  received: Received,
  receivedAt: number,
): Extract<MachineInput, { kind: 'message' | 'edgeAlert' }> =>
  'observation' in received
    ? { kind: 'message', observation: received.observation, receivedAt }
    : { kind: 'edgeAlert', alert: received.edgeAlert, receivedAt };

/** The time a received input is about, for opening a replay's window. */
export const inputTs = (input: Extract<MachineInput, { kind: 'message' | 'edgeAlert' }>): number =>
  input.kind === 'message' ? input.observation.ts : input.alert.ts;

/** Why a redelivery of a refused message is kept again: the first one's dead letter may not have been sent. */
export const redeliveredRefusedReason = (messageId: string, ts: number): string =>
  `redelivered after it was refused as too late (${messageId} at ${new Date(ts).toISOString()})`;

export type InputOutcome =
  | { readonly kind: 'accepted' }
  /** Decided before (a redelivery), within the dedup horizon; `refused` if it was refused then. */
  | { readonly kind: 'duplicate'; readonly refused: boolean }
  | { readonly kind: 'tooLate'; readonly reason: string }
  | { readonly kind: 'time' };

export type MachineEffect =
  | { readonly kind: 'alert'; readonly event: AlertEvent }
  /** The whole-range OEE window moved: before and after, as of the newest settled time `ts`. */
  | { readonly kind: 'oee'; readonly ts: number; readonly before: WindowTotals; readonly after: WindowTotals }
  | { readonly kind: 'heartbeatTimer'; readonly fireAt: number; readonly lastHeardTs: number };

export type MachineBatchResult = {
  readonly checkpoint: MachineCheckpoint;
  /** What the stream keeps (machine/decisions.ts), in order. */
  readonly decisions: readonly MachineEvent[];
  /** One per input, in the same order. */
  readonly outcomes: readonly InputOutcome[];
  /** The telemetry readings this batch accepted: their one durable record is the telemetry sink. */
  readonly telemetry: readonly Extract<Observation, { kind: 'telemetry' }>[];
  readonly effects: readonly MachineEffect[];
};

export type MachineProcessor = { readonly config: MachineStreamConfig; readonly stream: MachineStream };

/** Options of the deployment, not of the machine: how far back ids are remembered (default 2 h). */
export type BatchOptions = { readonly dedupHorizonMs?: number };

const SETTLED_TYPES: ReadonlySet<MachineEvent['type']> = new Set([
  'StateChanged',
  'StateConfirmed',
  'CountsAdvanced',
  'SampleRecorded',
  'HeartbeatMissed',
  'JobStarted',
  'WindowClosed',
]);

const REACH_MOVERS: ReadonlySet<MachineEvent['type']> = new Set(['StateChanged', 'CountsAdvanced', 'HeartbeatMissed']);

/** A second after the decider could call the heartbeat missed, so the timer never fires too early. */
const heartbeatDueAfter = (config: MachineStreamConfig, newestTs: number): number =>
  newestTs + config.machine.heartbeatTimeoutMs + config.machine.allowedLatenessMs + 1000;

export const processMachineBatch = (
  machine: MachineProcessor,
  checkpoint: MachineCheckpoint,
  inputs: readonly MachineInput[],
  options: BatchOptions = {},
): MachineBatchResult => {
  const { config, stream } = machine;
  const stepOee = evolveOee(config.oee);
  const dedup = draftOf(checkpoint.dedup);
  const events: MachineEvent[] = [];
  const outcomes: InputOutcome[] = [];
  const telemetry: Extract<Observation, { kind: 'telemetry' }>[] = [];
  let state = checkpoint.stream;
  let oee = checkpoint.oee;
  let heartbeatDueAt = checkpoint.heartbeatDueAt;
  let accepted = false;
  const inGap = state.decider.heartbeatMissed;
  const horizon = dedupHorizonFor(config.machine.allowedLatenessMs, options.dedupHorizonMs ?? DEDUP_HORIZON_MS);
  const forgetBefore = (): number => (state.decider.newestTs === null ? -Infinity : state.decider.newestTs - horizon);

  const run = (command: MachineCommand): readonly MachineEvent[] => {
    const out = stream.handle(command, state);
    state = out.state;
    for (const event of out.events) {
      events.push(event);
      oee = stepOee(oee, event);
      // Only these move how far back a booking can reach: checked after them, so the same events
      // finalise the same windows however they were batched.
      if (REACH_MOVERS.has(event.type) && Object.keys(oee.closedWindows).length > 0) {
        const final = takeFinalWindows(config.oee.calendar, oee);
        if (final !== undefined) {
          oee = final.state;
          events.push({ type: 'OeeWindowsFinal', ts: final.reach, windows: final.windows });
        }
      }
    }
    return out.events;
  };
  const tick = (ts: number): void => {
    run({ kind: 'AdvanceClock', ts });
    if (heartbeatDueAt !== null && ts >= heartbeatDueAt) heartbeatDueAt = null;
  };

  for (const input of inputs) {
    if (input.kind === 'open') {
      run({ kind: 'Open', ts: input.ts });
      outcomes.push({ kind: 'time' });
      continue;
    }
    if (input.kind === 'tick') {
      tick(input.ts);
      outcomes.push({ kind: 'time' });
      continue;
    }
    if (input.kind === 'edgeAlert') {
      const { messageId, ts } = input.alert;
      if (dedup.recall(messageId, ts, forgetBefore()) !== undefined) {
        outcomes.push({ kind: 'duplicate', refused: false });
        continue;
      }
      dedup.remember(messageId, ts, false);
      outcomes.push({ kind: 'accepted' });
      // Not an event of the decider: a decision the gateway made, kept in the stream beside the machine's own.
      events.push(alertEventOf(input.alert));
      continue;
    }
    const { observation, receivedAt } = input;
    const { messageId, ts } = observation;
    const recalled = dedup.recall(messageId, ts, forgetBefore());
    if (recalled !== undefined || isPending(state.decider.pending, messageId, ts)) {
      outcomes.push({ kind: 'duplicate', refused: recalled === 'refused' });
      continue;
    }
    // A message received after the heartbeat timer was due proves the time has come: the timer is
    // applied first, as EventBridge Scheduler would have fired it, so the result never depends on
    // whether the timer function or this message got there first.
    if (heartbeatDueAt !== null && receivedAt >= heartbeatDueAt) tick(heartbeatDueAt);
    if (state.decider.openedAt === null) run({ kind: 'Open', ts: Math.min(ts, receivedAt) });
    const outcome = run({ kind: 'Observe', observation, receivedAt })[0];
    if (outcome?.type === 'ObservationTooLate') {
      dedup.remember(messageId, ts, true);
      outcomes.push({ kind: 'tooLate', reason: outcome.reason });
      continue;
    }
    dedup.remember(messageId, ts, false);
    outcomes.push({ kind: 'accepted' });
    accepted = true;
    if (observation.kind === 'telemetry') telemetry.push(observation);
    heartbeatDueAt = heartbeatDueAfter(config, state.decider.newestTs ?? ts);
  }

  // One alert when the gateway and the machine's detectors decide the same thing (alerts/alertDedup.ts,
  // the rule the summary pairs alerts by): only what changes an alert is sent. The gateway's messages
  // that change nothing change no state either, so they are not kept; the machine's own decisions are.
  let alerts = checkpoint.alerts;
  const effects: MachineEffect[] = [];
  const kept: MachineEvent[] = [];
  for (const event of events) {
    if (!isAlertEvent(event)) {
      kept.push(event);
      continue;
    }
    const [nextAlerts, changes] = stepAlertDedup(alerts, event);
    alerts = nextAlerts;
    if (changes) effects.push({ kind: 'alert', event });
    if (changes || event.origin !== 'edge') kept.push(event);
  }

  const newest = state.decider.newestTs;
  const next: MachineCheckpoint = { stream: state, oee, dedup: dedup.done(forgetBefore()), heartbeatDueAt, alerts };

  let settledUntil: number | undefined;
  for (const event of events)
    if (SETTLED_TYPES.has(event.type))
      settledUntil = Math.max(settledUntil ?? -Infinity, (event as { readonly ts: number }).ts);
  if (settledUntil !== undefined) {
    effects.push({
      kind: 'oee',
      ts: settledUntil,
      before: oeeWindow(checkpoint.oee, WHOLE_RANGE) ?? emptyTotals,
      after: oeeWindow(oee, WHOLE_RANGE) ?? emptyTotals,
    });
  }
  if (accepted && heartbeatDueAt !== null && newest !== null)
    effects.push({ kind: 'heartbeatTimer', fireAt: heartbeatDueAt, lastHeardTs: newest });

  return { checkpoint: next, decisions: decisionsOf(kept, inGap), outcomes, telemetry, effects };
};

/** The machine as if its window closed at `endTs`: what a summary reads. A view, nothing is written. */
export const closedCheckpointView = (
  machine: MachineProcessor,
  checkpoint: MachineCheckpoint,
  endTs: number,
): { readonly checkpoint: MachineCheckpoint; readonly events: readonly MachineEvent[] } => {
  const { state, events } = machine.stream.handle({ kind: 'Close', ts: endTs }, checkpoint.stream);
  const stepOee = evolveOee(machine.config.oee);
  let oee = checkpoint.oee;
  for (const event of events) oee = stepOee(oee, event);
  return { checkpoint: { ...checkpoint, stream: state, oee }, events };
};
